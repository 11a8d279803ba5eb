// Formatting for the demo page: HTML escaping, durations and byte counts as people read them.

export const escapeHtml = (text) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** A duration given in milliseconds: "830 ns", "12.4 µs", "3.2 ms", "1.25 s". */
export function formatDuration(ms) {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (ms < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (ms < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A byte count: "930 B", "45.1 KB", "1.23 MB" (1 KB = 1,000 bytes). */
export function formatBytes(bytes) {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(2)} MB`;
}

export const formatCount = (n) => n.toLocaleString("en");
