// The ImActors protocol over WebSocket (docs/protocol.md): one binary message = one [kind, body] MessagePack payload.
// ImSession keeps one signed-in connection alive: hello, heartbeat, reconnect with backoff, and sends and
// requests that survive a reconnect. What the frames mean for the conversations is app.js's job.
"use strict";

const Kind = Object.freeze({
  hello: 1, welcome: 2, send: 3, ack: 4, error: 5, message: 6, delivered: 7, sync: 8, syncPage: 9,
  ping: 10, pong: 11, closing: 12, request: 13, result: 14, typing: 15, readState: 16, receipt: 17, presence: 18,
});

// Closing codes after which reconnecting would only be refused again (protocol.md, "Recommended client behaviour").
const FinalClosings = new Set([409, 410, 448]);
// Closing codes that mean the token is no longer good: ask for a new one before reconnecting.
const TokenClosings = new Set([402, 403]);
const SendTimeoutMs = 5000;

function encodeFrame(kind, body) {
  return MessagePack.encode([kind, body]);
}

function decodeFrame(data) {
  const [kind, body] = MessagePack.decode(new Uint8Array(data));
  return { kind, body };
}

class ImSession {
  /** @param options {url, device, getToken(force) -> Promise<string>, on: {status, welcome, push, ack, sendFailed, syncPage, syncFailed, closing}} */
  constructor(options) {
    this.url = options.url;
    this.device = options.device;
    this.getToken = options.getToken;
    this.on = options.on;
    this.ws = null;
    this.welcomed = false;
    this.stopped = true;
    this.failures = 0;
    this.nextRid = 0;
    this.sends = new Map();     // cmid -> {body, sentAt}: kept until the ACK, resent after a reconnect with the same cmid
    this.requests = new Map();  // rid -> {body, resolve, reject}
    this.timers = [];
    this.freshToken = false;
    window.addEventListener("offline", () => this.ws?.close());
    window.addEventListener("online", () => { this.failures = 0; this.connect(); });
  }

  start() {
    this.stopped = false;
    this.timers.push(setInterval(() => this.resendOverdue(), SendTimeoutMs / 2));
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    this.ws?.close();
  }

  async connect() {
    if (this.stopped || this.ws) return;
    if (!navigator.onLine) { this.on.status("offline"); return; }  // the "online" event brings us back
    this.on.status("connecting");
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = async () => {
      try {
        const token = await this.getToken(this.freshToken);
        this.freshToken = false;
        ws.send(encodeFrame(Kind.hello, { token, device: this.device, platform: "web", versions: [1], compression: [] }));
      } catch (e) {
        this.on.status("error: " + e.message);
        ws.close();
      }
    };
    ws.onmessage = (e) => this.receive(decodeFrame(e.data));
    ws.onclose = () => this.closed(ws);
  }

  closed(ws) {
    if (this.ws !== ws) return;
    this.ws = null;
    this.welcomed = false;
    clearInterval(this.heartbeat);
    if (this.stopped) return;
    if (this.final) { this.on.status("signed out: " + this.final); return; }
    this.on.status("offline");
    // Exponential backoff with jitter (as the SDK): a failed edge's clients do not all come back at once.
    const ceiling = Math.min(10000, 200 * 2 ** this.failures++);
    setTimeout(() => this.connect(), 100 + Math.random() * ceiling);
  }

  receive({ kind, body }) {
    switch (kind) {
      case Kind.welcome:
        this.welcomed = true;
        this.failures = 0;
        this.heartbeat = setInterval(() => this.write(Kind.ping, { t: Date.now() }), Math.max(1000, body.heartbeatMs / 2));
        this.on.status("online");
        this.on.welcome(body);
        for (const [, send] of this.sends) this.writeSend(send);
        for (const [, request] of this.requests) this.write(Kind.request, request.body);
        break;
      case Kind.ack: {
        const send = this.sends.get(body.cmid);
        if (!send) break;  // a retry's duplicate ACK: the first one counted it
        this.sends.delete(body.cmid);
        this.on.ack(send.body, body);
        break;
      }
      case Kind.result: {
        const request = this.requests.get(body.rid);
        this.requests.delete(body.rid);
        request?.resolve(body);
        break;
      }
      case Kind.syncPage:
        this.on.syncPage(body);
        break;
      case Kind.error:
        this.refused(body);
        break;
      case Kind.closing:
        if (FinalClosings.has(body.code)) this.final = body.reason;
        if (TokenClosings.has(body.code)) this.freshToken = true;
        this.on.closing(body);
        break;
      case Kind.pong:
        break;
      default:
        this.on.push(kind, body);
    }
  }

  refused(error) {
    const send = error.cmid && this.sends.get(error.cmid);
    if (send) {
      if (error.retryable) {
        setTimeout(() => this.writeSend(send), Math.max(error.retryAfterMs, 500));
      } else {
        this.sends.delete(error.cmid);
        this.on.sendFailed(send.body, error);
      }
      return;
    }
    if (error.rid?.startsWith("sync:")) { this.on.syncFailed(error.rid.slice(5) || null, error); return; }
    const request = error.rid && this.requests.get(error.rid);
    if (request) { this.requests.delete(error.rid); request.reject(new Error(`${error.code} ${error.name}: ${error.reason}`)); return; }
    if (error.code === 403 || error.code === 402) this.freshToken = true;
    console.warn("edge refused a frame", error);
  }

  /** A message to a user ({to}) or a group ({group}); kept and resent with the same cmid until ACKed. */
  send(target, text) {
    const body = {
      cmid: crypto.randomUUID(), to: target.to ?? null, group: target.group ?? null,
      contentType: "text/plain", body: new TextEncoder().encode(text), compression: null,
    };
    const send = { body, sentAt: 0 };
    this.sends.set(body.cmid, send);
    this.writeSend(send);
    return body;
  }

  /** A request frame; the promise settles with its result or error, across reconnects. */
  request(fields) {
    const body = { rid: "r" + ++this.nextRid, ...fields };
    return new Promise((resolve, reject) => {
      this.requests.set(body.rid, { body, resolve, reject });
      this.write(Kind.request, body);
    });
  }

  sync(group, after) {
    return this.write(Kind.sync, { group, rid: "sync:" + (group ?? ""), after, limit: 200 });
  }

  typing(target) {
    this.write(Kind.typing, { peer: target.to ?? null, group: target.group ?? null });
  }

  writeSend(send) {
    send.sentAt = Date.now();
    this.write(Kind.send, send.body);
  }

  resendOverdue() {
    const now = Date.now();
    for (const [, send] of this.sends) if (now - send.sentAt >= SendTimeoutMs) this.writeSend(send);
  }

  write(kind, body) {
    if (!this.welcomed && kind !== Kind.hello) return false;
    this.ws.send(encodeFrame(kind, body));
    return true;
  }
}
