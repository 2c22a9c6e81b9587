// leadsim serve: point the terminal at this server's websocket (ws: or wss: as the page was
// loaded, so it works behind a TLS reverse proxy), give it the keyboard, and when the session
// closes say why (the server sends the reason as the websocket's close reason).
"use strict";

const SAY = {
  idle: (body) => ["Your session was closed after " + body.dataset.idle + " without a keypress. " +
    "Everything you did is saved: continue to resume it.", "Resume"],
  elsewhere: () => ["Your session is now open in another tab or window. " +
    "Everything you did is saved.", "Continue here"],
  full: () => ["The workshop is full right now. Try again in a minute.", "Try again"],
  ended: () => ["The session has ended. Everything you did is saved.", "Play again"],
  failed: () => ["The simulator stopped unexpectedly. Everything up to your last choice is " +
    "saved; your trainer can see what happened in the server's output.", "Try again"],
};

function sayWhy(reason) {
  const body = document.body;
  const [text, button] = (SAY[reason] || (() => [
    "The connection to the server was lost. Everything up to your last choice is saved.",
    "Reconnect",
  ]))(body);
  document.getElementById("closed-message").textContent = text;
  document.getElementById("again").textContent = button;
  body.dataset.closeReason = reason || "lost";
}

// textual.js opens its websocket with `new WebSocket(...)`: hear how it closes, too.
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener("close", (event) => sayWhy(event.reason));
  }
};

document.addEventListener("DOMContentLoaded", () => {
  const terminal = document.getElementById("terminal");
  const url = new URL("ws", window.location.href);
  url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  terminal.dataset.sessionWebsocketUrl = url.href;
  const body = document.body;
  const started = new MutationObserver(() => {
    if (!body.classList.contains("-first-byte")) return;
    started.disconnect();
    // Keys go to the simulator at once, without a click into the terminal first.
    const input = document.querySelector(".xterm-helper-textarea");
    if (input) input.focus();
  });
  started.observe(body, { attributes: true, attributeFilter: ["class"] });
});
