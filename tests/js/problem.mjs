// The check every error response of the component must pass: an RFC 9457 problem+json body naming what and where.
import assert from "node:assert/strict";

/** Asserts `res` is a problem+json with `status`, and returns its body. */
export async function problem(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}`);
  assert.equal(res.headers.get("content-type"), "application/problem+json");
  const body = await res.json();
  assert.equal(body.status, status);
  assert.match(body.type, /^urn:intent-edge:problem:/);
  assert.ok(body.title && body.detail, JSON.stringify(body));
  return body;
}
