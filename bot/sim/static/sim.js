// The chat simulator: talks only to /sim/api/*, which drives the real webhook path.
"use strict";
const state = { user: null, seen: {}, users: [] };
const $ = (sel) => document.querySelector(sel);

async function api(path, body) {
  const opts = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const res = await fetch("/sim/api/" + path, opts);
  return res.json();
}

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

function addRow(kind, at, content) {
  const row = el("div", "row " + kind);
  const who = kind === "user" ? "คุณ" : "บอท";
  row.appendChild(el("div", "meta", who + " · " + new Date(at).toLocaleTimeString("th-TH")));
  row.appendChild(content);
  $("#timeline").appendChild(row);
  $("#timeline").scrollTop = $("#timeline").scrollHeight;
}

function tap(action) {
  if (!action) return;
  if (action.type === "message") return sendText(action.text);
  if (action.type === "postback") return sendPostback(action.data, action.displayText || action.label);
  if (action.type === "uri") return window.open(action.uri, "_blank", "noopener");
}

function renderFlexNode(node) {
  if (!node) return el("div");
  switch (node.type) {
    case "box": {
      const box = el("div", "fx-box fx-" + (node.layout || "vertical"));
      (node.contents || []).forEach((child) => {
        const c = renderFlexNode(child);
        if (child.flex !== undefined) c.style.flex = String(child.flex);
        if (node.layout !== "vertical" && child.flex === undefined && !child.width) c.style.flex = "1";
        box.appendChild(c);
      });
      if (node.spacing) box.style.gap = { xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px" }[node.spacing] || "4px";
      if (node.backgroundColor) box.style.background = node.backgroundColor;
      if (node.paddingAll) box.style.padding = node.paddingAll;
      if (node.width) { box.style.width = node.width; box.style.flex = "none"; }
      if (node.height) box.style.height = node.height;
      if (node.cornerRadius) box.style.borderRadius = node.cornerRadius;
      if (node.margin && node.margin !== "none") box.style.marginTop = { xs: "2px", sm: "4px", md: "8px", lg: "12px", xl: "16px" }[node.margin] || node.margin;
      return box;
    }
    case "text": {
      const t = el("div", "fx-text", node.text || (node.contents || []).map((s) => s.text).join(""));
      if (node.weight === "bold") t.style.fontWeight = "700";
      if (node.color) t.style.color = node.color;
      t.style.fontSize = { xxs: "10px", xs: "11px", sm: "13px", md: "15px", lg: "17px", xl: "19px", xxl: "22px" }[node.size || "md"] || "15px";
      if (node.align) t.style.textAlign = node.align === "end" ? "right" : node.align;
      if (node.margin) t.style.marginTop = "6px";
      return t;
    }
    case "separator": return el("div", "fx-sep");
    case "spacer": return el("div");
    case "button": {
      const b = el("button", "fx-button " + (node.style || "link"), node.action && node.action.label);
      b.type = "button";
      b.addEventListener("click", () => tap(node.action));
      return b;
    }
    case "image": {
      const img = el("img"); img.src = node.url; img.alt = ""; img.style.maxWidth = "100%"; return img;
    }
    default: return el("div", "fx-text", "[" + node.type + "]");
  }
}

function renderBubble(bubble) {
  const wrap = el("div", "flex-bubble");
  ["header", "hero", "body", "footer"].forEach((part) => {
    if (!bubble[part]) return;
    const section = el("div", part === "footer" ? "fx-footer" : "fx-section");
    section.appendChild(renderFlexNode(bubble[part]));
    wrap.appendChild(section);
  });
  return wrap;
}

function renderMessage(message) {
  if (message.type === "text") return el("div", "bubble", message.text);
  if (message.type === "flex") {
    const c = message.contents;
    if (c.type === "carousel") {
      const car = el("div", "flex-carousel");
      (c.contents || []).forEach((b) => car.appendChild(renderBubble(b)));
      return car;
    }
    return renderBubble(c);
  }
  if (message.type === "template" && message.template && message.template.actions) {
    const box = el("div", "flex-bubble");
    const sec = el("div", "fx-section");
    sec.appendChild(el("div", "fx-text", message.template.text || message.altText));
    message.template.actions.forEach((a) => {
      const b = el("button", "fx-button secondary", a.label); b.type = "button";
      b.addEventListener("click", () => tap(a)); sec.appendChild(b);
    });
    box.appendChild(sec);
    return box;
  }
  return el("div", "bubble", "[" + message.type + "] " + (message.altText || ""));
}

function showQuickReplies(message) {
  const bar = $("#quick-replies");
  bar.innerHTML = "";
  const items = (message && message.quickReply && message.quickReply.items) || [];
  items.forEach((item) => {
    const b = el("button", "", item.action.label); b.type = "button";
    b.addEventListener("click", () => { bar.innerHTML = ""; tap(item.action); });
    bar.appendChild(b);
  });
}

async function refresh() {
  if (!state.user) return;
  const user = state.user;
  const list = await api("messages?user_id=" + encodeURIComponent(user));
  if (user !== state.user) return;
  const seen = state.seen[user] || 0;
  list.slice(seen).forEach((d) => addRow("bot " + d.kind, d.at, renderMessage(d.message)));
  if (list.length > seen) showQuickReplies(list[list.length - 1].message);
  state.seen[user] = list.length;
}

async function deliver(kind, payload, shown) {
  if (!state.user) return;
  if (shown) addRow("user", new Date().toISOString(), el("div", "bubble", shown));
  $("#quick-replies").innerHTML = "";
  const result = await api(kind, Object.assign({ user_id: state.user }, payload));
  if (result.status !== 200) addRow("bot", new Date().toISOString(), el("div", "error", "webhook ตอบ " + result.status));
  await refresh();
}

const sendText = (text) => deliver("send", { text }, text);
const sendPostback = (data, shown) => deliver("postback", { data }, shown);

async function selectUser(user) {
  state.user = user.user_id;
  history.replaceState(null, "", "#" + user.user_id);
  document.querySelectorAll("#user-list li").forEach((li) => li.classList.toggle("active", li.dataset.id === user.user_id));
  $("#chat-title").textContent = user.display_name;
  $("#link-help").hidden = user.roles.length > 0;
  $("#timeline").innerHTML = "";
  state.seen[user.user_id] = 0;
  await showMenu(user.user_id);
  await refresh();
}

// The rich menu of the chosen person, as LINE shows it to them (their role's menu).
async function showMenu(userId) {
  const menu = await api("richmenu?user_id=" + encodeURIComponent(userId));
  if (!menu.areas || userId !== state.user) return;
  const box = $("#richmenu");
  box.querySelectorAll("button[data-text]").forEach((b) => b.remove());
  box.querySelector("img").src = menu.image;
  const pct = (v, whole) => (100 * v / whole).toFixed(4) + "%";
  menu.areas.forEach((a) => {
    const b = el("button"); b.type = "button"; b.dataset.text = a.text;
    b.title = a.text + " · " + a.hint;
    Object.assign(b.style, { left: pct(a.x, menu.width), top: pct(a.y, menu.height),
      width: pct(a.width, menu.width), height: pct(a.height, menu.height) });
    b.appendChild(el("span", null, a.text));
    b.addEventListener("click", () => sendText(a.text));
    box.appendChild(b);
  });
}

async function showLinkCode() {
  const res = await fetch("/sim/api/link-code", { method: "POST" });
  const code = await res.json();
  $("#link-code").textContent = res.ok ? code.code + " · " + code.name : code.error;
}

async function runTick() {
  const result = await api("tick", { at: $("#tick-at").value });
  $("#tick-result").textContent = result.error ||
    (result.jobs["plan-reminders"] + " · ส่งแล้ว " + result.sent + " ข้อความ");
  await refresh();
}

async function init() {
  $("#link-code-btn").addEventListener("click", showLinkCode);
  $("#tick-btn").addEventListener("click", runTick);
  state.users = await api("users");
  const names = { officer: "ข้าราชการ", hr_admin: "HR", mentor: "พี่เลี้ยง", coach: "ผู้สอนงาน", supervisor: "ผู้บังคับบัญชา", hipps: "HiPPS" };
  state.users.forEach((user) => {
    const li = el("li"); li.dataset.id = user.user_id;
    li.appendChild(el("div", "name", user.display_name));
    li.appendChild(el("div", "roles", user.roles.map((r) => names[r] || r).join(" · ") || "ยังไม่เชื่อมบัญชี"));
    li.addEventListener("click", () => selectUser(user));
    $("#user-list").appendChild(li);
  });
  $("#composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("#text").value.trim();
    if (text) { $("#text").value = ""; sendText(text); }
  });
  // The rich menu's areas send their text, as tapping in LINE does; the chat bar folds it away.
  document.querySelectorAll("#richmenu button[data-text]").forEach((b) => b.addEventListener("click", () => sendText(b.dataset.text)));  // replaced per person by showMenu
  $("#chat-bar").addEventListener("click", () => {
    const open = $("#richmenu").hidden;
    $("#richmenu").hidden = !open;
    $("#chat-bar").setAttribute("aria-expanded", String(open));
  });
  $("#follow-btn").addEventListener("click", () => deliver("follow", {}, "(เพิ่มเพื่อน)"));
  const chosen = state.users.find((u) => "#" + u.user_id === location.hash) || state.users[0];
  if (chosen) selectUser(chosen);
  setInterval(refresh, 2000);
}
init();
