// Runs one RegExp test off the main thread, so the page can terminate it at a time cap (a catastrophic pattern
// would otherwise freeze the page). Message in: { pattern, text }; out: { matched, ms } or { error }.
self.onmessage = ({ data }) => {
  try {
    const re = new RegExp(data.pattern);
    const t0 = performance.now();
    const matched = re.test(data.text);
    self.postMessage({ matched, ms: performance.now() - t0 });
  } catch (e) {
    self.postMessage({ error: e.message });
  }
};
