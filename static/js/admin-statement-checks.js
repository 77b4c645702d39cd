// Live item-writing checks beside a statement (issue 19): as the text, kind or context
// changes, ask the server's JSON check (the same Python checks that saving enforces) and
// redraw the list. Without this script the "Check without saving" button does the same.
(function () {
  "use strict";
  const form = document.querySelector("form[data-check-url]");
  const list = document.getElementById("statement-checks");
  if (!form || !list) return;
  const text = form.querySelector("[name=text]");
  const kind = form.querySelector("[name=kind]");
  const context = form.querySelector("[name=context]");
  let timer = null;
  let latest = 0;

  function draw(checks) {
    list.replaceChildren(
      ...checks.map(function (check) {
        const item = document.createElement("li");
        item.className = check.passed ? "check-pass" : "check-fail";
        item.dataset.key = check.key;
        const label = document.createElement("strong");
        label.textContent =
          (check.passed ? list.dataset.pass : list.dataset.fail) + " · " + check.name + ":";
        item.append(label, " " + check.detail);
        return item;
      })
    );
  }

  function run() {
    const asked = ++latest;
    const query = new URLSearchParams({
      text: text.value,
      kind: kind ? kind.value : "scored",
      context: context ? context.value : "",
    });
    fetch(form.dataset.checkUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && asked === latest) draw(data.checks);
      })
      .catch(function () {});
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  }

  [text, kind, context].forEach(function (field) {
    if (field) field.addEventListener("input", soon);
    if (field) field.addEventListener("change", soon);
  });
})();
