// A small time-series plot on a plain <canvas>: lines, bars and marks over a sliding window of time, drawn at the
// device's pixel ratio and redrawn to the canvas's width whenever asked.

export class TimePlot {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{ yMax: () => number, yTicks: (max: number) => number[], yFormat: (v: number) => string, windowMs: number }} axes
   */
  constructor(canvas, axes) {
    this.canvas = canvas;
    this.axes = axes;
  }

  /**
   * @param {number} now  the right edge, ms
   * @param {{ kind: "line" | "bars", color: string, points: [number, number][] }[]} series  points as [time, value]
   * @param {{ color: string, times: number[] }} [marks]  short vertical marks at the bottom
   */
  draw(now, series, marks) {
    const canvas = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(200, Math.round(canvas.clientWidth * ratio));
    const height = Math.round(180 * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    const g = canvas.getContext("2d");
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    const w = width / ratio;
    const h = height / ratio;
    const left = 44;
    const bottom = h - 20;
    const top = 8;
    const { windowMs, yFormat } = this.axes;
    const yMax = Math.max(1e-9, this.axes.yMax());
    const x = (t) => left + ((t - (now - windowMs)) / windowMs) * (w - left - 6);
    const y = (v) => bottom - (Math.min(v, yMax) / yMax) * (bottom - top);
    g.clearRect(0, 0, w, h);
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#556";
    g.strokeStyle = "#e3e6ee";
    g.lineWidth = 1;
    for (const tick of this.axes.yTicks(yMax)) {
      g.beginPath();
      g.moveTo(left, y(tick) + 0.5);
      g.lineTo(w - 6, y(tick) + 0.5);
      g.stroke();
      g.fillText(yFormat(tick), 2, y(tick) + 4);
    }
    for (let s = 0; s <= windowMs / 1000; s += 10) {
      const t = now - s * 1000;
      g.fillText(s === 0 ? "now" : `−${s} s`, x(t) - (s === 0 ? 20 : 12), h - 5);
    }
    for (const { kind, color, points } of series) {
      const visible = points.filter(([t]) => t >= now - windowMs);
      g.fillStyle = color;
      g.strokeStyle = color;
      if (kind === "bars") {
        const barWidth = Math.max(2, (1000 / windowMs) * (w - left - 6) - 2);
        for (const [t, v] of visible) g.fillRect(x(t) - barWidth, y(v), barWidth, bottom - y(v));
      } else {
        g.lineWidth = 2;
        g.beginPath();
        visible.forEach(([t, v], i) => (i === 0 ? g.moveTo(x(t), y(v)) : g.lineTo(x(t), y(v))));
        g.stroke();
      }
    }
    if (marks) {
      g.strokeStyle = marks.color;
      g.lineWidth = 1.5;
      for (const t of marks.times) {
        if (t < now - windowMs) continue;
        g.beginPath();
        g.moveTo(x(t), bottom);
        g.lineTo(x(t), bottom - 12);
        g.stroke();
      }
    }
  }
}
