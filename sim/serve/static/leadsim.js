// leadsim serve: point the terminal at this server's websocket (ws: or wss: as the page was
// loaded, so it works behind a TLS reverse proxy), and say why a session closed.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const terminal = document.getElementById("terminal");
  const url = new URL("ws", window.location.href);
  url.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  terminal.dataset.sessionWebsocketUrl = url.href;
  const body = document.body;
  const seen = new MutationObserver(async () => {
    if (body.classList.contains("-first-byte") && !body.dataset.focused) {
      // Keys go to the simulator at once, without a click into the terminal first.
      body.dataset.focused = "1";
      const input = document.querySelector(".xterm-helper-textarea");
      if (input) input.focus();
    }
    if (!body.classList.contains("-closed") || body.dataset.told) return;
    body.dataset.told = "1";
    const message = document.getElementById("closed-message");
    const again = document.getElementById("again");
    try {
      const status = await (await fetch("status", { cache: "no-store" })).json();
      if (status.reason === "idle") {
        message.textContent = "Your session was closed after " + body.dataset.idle +
          " without a keypress. Everything you did is saved: continue to resume it.";
        again.textContent = "Resume";
      } else if (status.reason === "elsewhere") {
        message.textContent = "Your session is open in another tab or window.";
      } else if (status.reason === "full") {
        message.textContent = "The server is full right now. Try again in a minute.";
        again.textContent = "Try again";
      } else {
        message.textContent = "The session has ended. Everything you did is saved.";
        again.textContent = "Play again";
      }
    } catch (e) {
      message.textContent = "The connection to the server was lost. Everything you did up to the last choice is saved.";
      again.textContent = "Reconnect";
    }
  });
  seen.observe(body, { attributes: true, attributeFilter: ["class"] });
});
