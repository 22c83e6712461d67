// Kernel ▸ Interrupt as a message. Jupyter interrupts a kernel one of two ways, as its kernelspec
// says: a signal (SIGINT, the default) or an `interrupt_request` on the control channel
// (`"interrupt_mode": "message"`). Windows has no SIGINT to send a process, so there Jupyter can
// only interrupt by message, and tslab answers no such request (it prints "unknown msg_type").
// The course's kernelspec asks for messages on Windows only (scripts/setup.mjs says why);
// kernel-lib/test/viz-kernel.test.ts interrupts by message on any system.
//
// The wire format (jupyter-client's messaging docs, "The Wire Protocol"): routing identities, the
// delimiter "<IDS|MSG>", an HMAC-SHA256 signature (hex, keyed by the connection file's key) of the
// four JSON frames that follow (header, parent header, metadata, content), then those frames.
"use strict";

const { createHmac, randomBytes, timingSafeEqual } = require("node:crypto");

const DELIM = "<IDS|MSG>";

const sign = (key, frames) => (key ? frames.reduce((h, f) => h.update(f), createHmac("sha256", key)).digest("hex") : "");

/**
 * The request's routing identities and header if `frames` are a correctly signed
 * interrupt_request, otherwise null (any other message, or a bad signature: tslab's own
 * handling reports those).
 */
function interruptRequest(frames, key) {
  const at = frames.findIndex((f) => f.toString() === DELIM);
  if (at < 0 || frames.length < at + 6) return null;
  let header;
  try {
    header = JSON.parse(frames[at + 2].toString());
  } catch {
    return null;
  }
  if (header?.msg_type !== "interrupt_request") return null;
  const expected = Buffer.from(sign(key, frames.slice(at + 2)));
  const given = Buffer.from(frames[at + 1].toString());
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { identities: frames.slice(0, at), header };
}

/** The frames of the `interrupt_reply` to a request from interruptRequest, signed with `key`. */
function interruptReply(request, key) {
  const header = {
    msg_id: randomBytes(16).toString("hex"),
    session: request.header.session,
    username: request.header.username,
    date: new Date().toISOString(),
    msg_type: "interrupt_reply",
    version: "5.3",
  };
  const parts = [header, request.header, {}, { status: "ok" }].map((p) => JSON.stringify(p));
  return [...request.identities, DELIM, sign(key, parts), ...parts];
}

module.exports = { interruptRequest, interruptReply };
