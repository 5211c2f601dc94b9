// The web chat: conversations, history and the marks around them, drawn from ImSession's frames.
// State is in memory only: a reload syncs the retained history again from the server, which is the source of truth.
"use strict";

const GroupEventType = "application/vnd.imactors.group-event+json";
const TypingShownMs = 4000;
const TypingSentEveryMs = 3000;
const $ = (id) => document.getElementById(id);

/** One log (the inbox, or one group's timeline): entries by seq, and `last`, below which nothing is missing. */
class Log {
  constructor(last = 0) {
    this.entries = new Map();
    this.last = last;
    this.syncing = false;
  }

  /** Takes an entry; false when it was already held. */
  add(entry) {
    if (this.entries.has(entry.seq)) return false;
    this.entries.set(entry.seq, entry);
    while (this.entries.has(this.last + 1)) this.last++;
    return true;
  }

  hasGap() {
    for (const seq of this.entries.keys()) if (seq > this.last) return true;
    return false;
  }
}

const state = {
  me: null,
  inbox: new Log(),
  groups: new Map(),         // group id -> Log
  conversations: new Map(),  // key ("u:peer", "g:group", "s:") -> {key, type, id, lastSeq, readSeq, unread, peerReadSeq}
  open: null,                // the key of the conversation on screen
  typing: new Map(),         // key -> {from, until}
  typingSentAt: 0,
  session: null,
};

const keyOf = (entry) =>
  entry.group != null ? "g:" + entry.group : entry.from === "" ? "s:" : "u:" + (entry.from === state.me ? entry.to : entry.from);

function conversation(key) {
  let c = state.conversations.get(key);
  if (!c) {
    const type = key[0] === "g" ? "group" : key[0] === "s" ? "system" : "user";
    c = { key, type, id: key.slice(2), lastSeq: 0, readSeq: 0, unread: 0, peerReadSeq: 0 };
    state.conversations.set(key, c);
  }
  return c;
}

function groupLog(group, last = 0) {
  let log = state.groups.get(group);
  if (!log) state.groups.set(group, (log = new Log(last)));
  return log;
}

const logOf = (key) => (key[0] === "g" ? groupLog(key.slice(2)) : state.inbox);
const targetOf = (c) => (c.type === "group" ? { group: c.id } : { to: c.id });

// ---- frames -> state ----

/** An entry from a push, a sync page or our own ACK. Counts it unread when it is new, from someone else, and not on screen. */
function take(log, entry) {
  if (!log.add(entry)) return;
  const c = conversation(keyOf(entry));
  if (entry.seq > c.lastSeq) {
    c.lastSeq = entry.seq;
    if (entry.from !== state.me && entry.seq > c.readSeq) c.unread++;
  }
}

function onWelcome(welcome) {
  state.me = welcome.user;
  state.inbox.syncing = false;
  for (const log of state.groups.values()) log.syncing = false;
  sync(null);
  loadConversations().catch((e) => console.warn("conversation list", e));
}

async function loadConversations() {
  let after = null;
  do {
    const page = await state.session.request({ op: "conversations", after, limit: 500 });
    for (const item of page.conversations) {
      const key = item.type === "group" ? "g:" + item.id : item.type === "system" ? "s:" : "u:" + item.id;
      Object.assign(conversation(key), {
        lastSeq: item.lastSeq, readSeq: item.readSeq, unread: item.unread, peerReadSeq: item.peerReadSeq,
      });
      if (item.type === "group") {
        // A group's history starts at the member's join (firstSeq); group messages are not in the inbox.
        const log = groupLog(item.id, item.firstSeq);
        if (item.lastSeq > log.last) sync(item.id);
      }
    }
    after = page.next;
  } while (after != null);
  render();
}

function sync(group) {
  const log = group == null ? state.inbox : groupLog(group);
  if (log.syncing) return;
  log.syncing = state.session.sync(group, log.last);
}

function onSyncPage(page) {
  const log = page.group == null ? state.inbox : groupLog(page.group);
  log.syncing = false;
  if (page.floor > log.last) log.last = page.floor;
  for (const entry of page.messages) {
    // A page holds every entry of its range: the seqs it steps over hold nothing.
    if (entry.seq - 1 > log.last) log.last = entry.seq - 1;
    take(log, entry);
  }
  if (page.hasMore || log.hasGap()) sync(page.group);
  render();
  markOpenRead();
}

function onPush(kind, body) {
  switch (kind) {
    case Kind.message: {
      const log = body.group == null ? state.inbox : state.groups.get(body.group) ?? groupLog(body.group, body.seq - 1);
      take(log, body);
      if (log.hasGap()) sync(body.group);
      markOpenRead();
      break;
    }
    case Kind.typing: {
      const key = body.group != null ? "g:" + body.group : "u:" + body.from;
      state.typing.set(key, { from: body.from, until: Date.now() + TypingShownMs });
      setTimeout(render, TypingShownMs + 50);
      break;
    }
    case Kind.receipt: {
      const c = conversation("u:" + body.peer);
      c.peerReadSeq = Math.max(c.peerReadSeq, body.seq);
      break;
    }
    case Kind.readState: {
      const c = conversation(body.group != null ? "g:" + body.group : body.peer === "" ? "s:" : "u:" + body.peer);
      c.readSeq = Math.max(c.readSeq, body.readSeq);
      c.unread = body.unread;
      break;
    }
  }
  render();
}

function onAck(send, ack) {
  // The sending device gets no push of its own send: the ACK stands for it.
  const log = send.group != null ? groupLog(send.group) : state.inbox;
  take(log, { group: send.group, id: ack.id, seq: ack.seq, from: state.me, to: send.to ?? send.group, ts: ack.ts, contentType: send.contentType, body: send.body });
  const c = conversation(keyOf({ group: send.group, from: state.me, to: send.to }));
  c.readSeq = Math.max(c.readSeq, ack.seq);  // sending marks the conversation read
  render();
}

/** Marks the conversation on screen read up to its newest entry: the server sends the peer a receipt. */
function markOpenRead() {
  const c = state.open && state.conversations.get(state.open);
  if (!c || document.hidden) return;
  const newest = Math.max(0, ...entriesOf(c).map((e) => e.seq));
  if (newest <= c.readSeq) return;
  c.readSeq = newest;
  c.unread = 0;
  const target = c.type === "group" ? { group: c.id } : { peer: c.type === "system" ? "" : c.id };
  state.session.request({ op: "read", ...target, seq: newest })
    .then((result) => { c.unread = result.total; render(); })
    .catch((e) => console.warn("read", e));
}

function entriesOf(c) {
  const log = logOf(c.key);
  return [...log.entries.values()].filter((e) => keyOf(e) === c.key).sort((a, b) => a.seq - b.seq);
}

// ---- state -> page ----

function el(tag, { dataset, ...props }, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);  // dataset itself cannot be assigned, only its entries
  node.append(...children);
  return node;
}

const nameOf = (c) => (c.type === "system" ? "System" : c.type === "group" ? "# " + c.id : c.id);

function render() {
  $("status").textContent = state.status;
  $("status").dataset.state = state.status;
  const list = [...state.conversations.values()].sort((a, b) => a.key.localeCompare(b.key));
  $("conversations").replaceChildren(...list.map((c) => el("li", { className: c.key === state.open ? "open" : "" },
    el("button", { onclick: () => openConversation(c.key), dataset: { key: c.key } },
      el("span", { className: "name", textContent: nameOf(c) }),
      el("span", { className: "unread", textContent: c.unread || "", hidden: !c.unread })))));

  const c = state.open && state.conversations.get(state.open);
  $("title").textContent = c ? nameOf(c) : "Pick a conversation";
  const typing = c && state.typing.get(c.key);
  $("typing").textContent = typing && typing.until > Date.now() ? typing.from + " is typing…" : "";
  $("text").disabled = $("send").disabled = !c || c.type === "system";
  if (!c) { $("messages").replaceChildren(); return; }
  const shown = entriesOf(c).map((e) => messageItem(c, e));
  const pending = [...state.session.sends.values()].map((s) => s.body)
    .filter((s) => keyOf({ group: s.group, from: state.me, to: s.to }) === c.key)
    .map((s) => el("li", { className: "msg mine pending" }, el("span", { className: "text", textContent: text(s) }), el("span", { className: "mark", textContent: "sending…" })));
  const atBottom = $("messages").scrollTop + $("messages").clientHeight >= $("messages").scrollHeight - 20;
  $("messages").replaceChildren(...shown, ...pending);
  if (atBottom) $("messages").scrollTop = $("messages").scrollHeight;
}

function messageItem(c, e) {
  if (e.contentType === GroupEventType) {
    return el("li", { className: "msg event", dataset: { seq: e.seq } }, el("span", { className: "text", textContent: groupEvent(e) }));
  }
  const mine = e.from === state.me;
  // A 1:1 message of ours is read once the peer's receipt (or the list's peerReadSeq) reaches its seq in our inbox.
  const mark = !mine ? "" : c.type === "user" && e.seq <= c.peerReadSeq ? "read" : "sent";
  return el("li", { className: "msg " + (mine ? "mine" : "theirs"), dataset: { seq: e.seq } },
    el("span", { className: "from", textContent: c.type === "group" && !mine ? e.from : "" }),
    el("span", { className: "text", textContent: text(e) }),
    el("span", { className: "mark", textContent: mark }));
}

function text(entry) {
  return entry.contentType.startsWith("text/") ? new TextDecoder().decode(entry.body) : `[${entry.contentType}]`;
}

function groupEvent(entry) {
  try {
    const event = JSON.parse(text({ contentType: "text/json", body: entry.body }));
    return [event.by ?? entry.from, event.type ?? event.kind ?? "changed the group", (event.members ?? []).join(", ")].filter(Boolean).join(" ");
  } catch {
    return "group changed";
  }
}

function openConversation(key) {
  conversation(key);  // a new chat has no entry yet
  state.open = key;
  render();
  markOpenRead();
  render();
  $("text").focus();
}

// ---- sign-in and forms ----

async function devToken(user, device) {
  const response = await fetch("/dev/token", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user, device }),
  });
  if (!response.ok) throw new Error(response.status === 404 ? "this edge gives no development tokens: paste a token" : (await response.json()).reason);
  return (await response.json()).token;
}

function signIn(user, token) {
  // Per tab (sessionStorage): a reload keeps the same device, and two tabs can be two users.
  const device = sessionStorage.getItem("device") ?? "web-" + crypto.randomUUID().slice(0, 8);
  sessionStorage.setItem("device", device);
  sessionStorage.setItem("user", user);
  if (token) sessionStorage.setItem("token", token);
  state.me = user;
  state.status = "connecting";
  $("signin").hidden = true;
  $("chat").hidden = false;
  $("me").textContent = user;
  let cached = token;
  state.session = new ImSession({
    url: (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws",
    device,
    getToken: async (fresh) => (cached && !(fresh && !token) ? cached : (cached = await devToken(user, device))),
    on: {
      status: (s) => { state.status = s; render(); },
      welcome: onWelcome,
      push: onPush,
      ack: onAck,
      syncPage: onSyncPage,
      syncFailed: (group, error) => console.warn("sync of", group ?? "the inbox", "refused:", error.reason),
      sendFailed: (send, error) => { alert(`Not sent: ${error.reason}`); render(); },
      closing: (closing) => console.info("edge closing", closing.code, closing.reason),
    },
  });
  state.session.start();
}

$("signin").addEventListener("submit", async (e) => {
  e.preventDefault();
  const user = $("signin-user").value.trim();
  const token = $("signin-token").value.trim();
  try {
    if (!token) await devToken(user, "web-check");  // says at once when this edge gives no tokens
    signIn(user, token || null);
  } catch (error) {
    $("signin-error").textContent = error.message;
  }
});

$("signout").addEventListener("click", () => {
  sessionStorage.clear();
  state.session?.stop();
  location.reload();
});

$("composer").addEventListener("submit", (e) => {
  e.preventDefault();
  const c = state.conversations.get(state.open);
  const value = $("text").value;
  if (!c || !value.trim()) return;
  state.session.send(targetOf(c), value);
  $("text").value = "";
  state.typingSentAt = 0;
  render();
});

$("text").addEventListener("input", () => {
  const c = state.conversations.get(state.open);
  if (!c || Date.now() - state.typingSentAt < TypingSentEveryMs) return;
  state.typingSentAt = Date.now();
  state.session.typing(targetOf(c));
});

$("new-chat").addEventListener("submit", (e) => {
  e.preventDefault();
  const peer = $("new-chat-user").value.trim();
  if (!peer) return;
  $("new-chat-user").value = "";
  openConversation("u:" + peer);
});

$("new-group").addEventListener("submit", async (e) => {
  e.preventDefault();
  const group = $("new-group-id").value.trim();
  const members = $("new-group-members").value.split(",").map((m) => m.trim()).filter(Boolean);
  if (!group) return;
  try {
    await state.session.request({ op: "group.create", group, members, open: false });
    $("new-group-id").value = $("new-group-members").value = "";
    groupLog(group);
    sync(group);
    openConversation("g:" + group);
  } catch (error) {
    alert(`Group not created: ${error.message}`);
  }
});

document.addEventListener("visibilitychange", markOpenRead);

if (sessionStorage.getItem("user")) signIn(sessionStorage.getItem("user"), sessionStorage.getItem("token"));
