// Live moments (PRACTICE.md §7): the entry form sends with fetch, and an entry that cannot be
// sent (offline) is kept in this device's localStorage and sent when the connection returns.
// Each entry carries a UUID made here, so sending it again never stores it twice.
(function () {
  "use strict";
  var QUEUE_KEY = "relcap-moments-queue";
  var root = document.getElementById("moments");
  if (!root) return;
  var status = document.querySelector(".moments-queue");
  var form = document.getElementById("moment-form");
  var sending = false, again = false;

  if ("serviceWorker" in navigator && root.dataset.sw) {
    navigator.serviceWorker.register(root.dataset.sw, { scope: root.dataset.scope }).catch(function () {});
  }

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  function readQueue() {
    try { return JSON.parse(localStorage.getItem(QUEUE_KEY) || "[]"); } catch (e) { return []; }
  }
  function writeQueue(queue) { localStorage.setItem(QUEUE_KEY, JSON.stringify(queue)); }
  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function say(text) { if (status) status.textContent = text; }

  // Sends every kept entry once; an entry leaves the queue only when the server has answered
  // it (saved, or refused as invalid), never on a network failure.
  function flush() {
    // A flush asked for while one runs (the connection came back while an offline try was
    // still failing) runs again right after it, instead of waiting for the 30 s retry.
    if (sending) { again = true; return Promise.resolve(); }
    // Only this person's entries: another account signed in on a shared device sends none.
    var queue = readQueue().filter(function (e) { return e.owner === root.dataset.owner; });
    if (!queue.length) return Promise.resolve();
    sending = true;
    var sent = 0, refused = "";
    var chain = Promise.resolve();
    queue.forEach(function (entry) {
      chain = chain.then(function () {
        return send(entry).then(function (outcome) {
          if (outcome.done) {
            writeQueue(readQueue().filter(function (e) { return e.id !== entry.id; }));
            if (outcome.saved) sent += 1;
            else return outcome.response.json().then(function (data) { refused = data.message; });
          }
        });
      });
    });
    return chain.then(function () {
      sending = false;
      if (again) { again = false; return flush(); }
      var left = readQueue().filter(function (e) { return e.owner === root.dataset.owner; }).length;
      if (refused) say(refused);
      else if (left) say((status.dataset.waiting || "") + " " + left);
      else if (sent) say(status.dataset.sent || "");
    }, function () { sending = false; if (again) { again = false; return flush(); } });
  }

  function send(entry, notify) {
    var body = new URLSearchParams(entry.fields);
    if (notify) body.set("notify", "1");  // the page after it says "Saved"
    body.set("csrfmiddlewaretoken", csrfToken());
    return fetch(root.dataset.log, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual",  // signed out: the sign-in redirect is not a saved entry
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (response.ok && json) return { done: true, saved: true, response: response };
      if (response.status === 400 && json) return { done: true, saved: false, response: response };
      return { done: false, response: response };  // signed out or a stale token: kept
    }, function () { return { done: false, offline: true }; });
  }

  if (form) {
    var order = [];
    var orderField = form.querySelector("input[name=response_order]");
    form.querySelectorAll("input[name=responses]").forEach(function (box) {
      if (box.checked) order.push(box.value);
      box.addEventListener("change", function () {
        order = order.filter(function (code) { return code !== box.value; });
        if (box.checked) order.push(box.value);
        orderField.value = order.join(",");
      });
    });
    orderField.value = order.join(",");
    try { form.querySelector("input[name=tz]").value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) {}
    var idField = form.querySelector("input[name=client_id]");
    idField.value = uuid4();  // a form kept by the service worker still makes a new id each time

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var problem = document.getElementById("moment-problem");
      var given = form.querySelector("input[name=triggers]:checked, input[name=signals]:checked,"
        + " input[name=responses]:checked") || form.querySelector("[name=trigger_text]").value.trim();
      if (!given) {  // said at once, online or not: nothing is kept that could not be saved
        document.getElementById("moment-problem-text").textContent = form.dataset.needOne;
        problem.classList.remove("d-none");
        problem.focus();
        return;
      }
      form.querySelector("input[name=entered_at]").value = new Date().toISOString();
      var fields = [];
      new FormData(form).forEach(function (value, key) {
        if (key !== "csrfmiddlewaretoken") fields.push([key, value]);
      });
      var entry = { id: idField.value, owner: root.dataset.owner, fields: fields };
      var queue = readQueue();
      if (!queue.some(function (e) { return e.id === entry.id; })) queue.push(entry);
      writeQueue(queue);  // kept on the device first: nothing given is lost
      send(entry, true).then(function (outcome) {
        if (outcome.done) {
          writeQueue(readQueue().filter(function (e) { return e.id !== entry.id; }));
        }
        if (outcome.saved) {
          window.location.assign(form.dataset.done);
          return;
        }
        if (outcome.done) {  // refused: say why, keep what was chosen
          outcome.response.json().then(function (data) {
            document.getElementById("moment-problem-text").textContent = data.message || "";
            problem.classList.remove("d-none");
            problem.focus();
          });
          idField.value = uuid4();
          return;
        }
        problem.classList.add("d-none");
        say((outcome.offline ? status.dataset.queued : status.dataset.kept) || "");
        form.reset();
        order = []; orderField.value = "";
        idField.value = uuid4();
        window.scrollTo(0, 0);
      });
    });
  }

  window.addEventListener("online", flush);
  window.setInterval(function () { if (navigator.onLine) flush(); }, 30000);
  flush();
})();
