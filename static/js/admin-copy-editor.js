// The report copy editor (issue 19): as a text is typed, ask the server for its preview on a
// sample report and for the problems saving would report, and show both beside the field.
// "Preview" asks the same without leaving the page. Saving sends only the texts that changed.
// Without this script, "Preview" and "Save changed texts" post the form and the server does it.
(function () {
  "use strict";
  const form = document.querySelector("form.copy-editor[data-preview-url]");
  if (!form) return;
  const sampleChoice = document.getElementById("copy-sample");
  const latest = new WeakMap();
  const timers = new WeakMap();

  function show(area, data) {
    const row = area.closest(".copy-field");
    const preview = document.getElementById(area.id + "-preview");
    const errors = document.getElementById(area.id + "-errors");
    const title = document.createElement("p");
    title.className = "copy-preview-title";
    // A text of another page (the brief, a live-moments page) names that page and the sample.
    const on = form.dataset.previewOn || "Preview on:";
    const sample = form.dataset.sampleWord || "sample:";
    title.textContent = data.page
      ? on + " " + data.page + " (" + sample + " " + data.sample_label + ")"
      : on + " " + data.sample_label;
    const body = document.createElement("div");
    body.innerHTML = data.html; // rendered and escaped by the server's report templates
    preview.replaceChildren(title, body);
    preview.hidden = false;
    errors.replaceChildren(
      ...data.problems.map(function (problem) {
        const item = document.createElement("li");
        item.textContent = problem;
        return item;
      })
    );
    row.classList.toggle("copy-field-error", data.problems.length > 0);
    if (data.problems.length) area.setAttribute("aria-invalid", "true");
    else area.removeAttribute("aria-invalid");
  }

  function run(area) {
    const asked = (latest.get(area) || 0) + 1;
    latest.set(area, asked);
    const query = new URLSearchParams({
      field: area.dataset.field,
      text: area.value,
      sample: (sampleChoice && sampleChoice.value) || area.dataset.sample || "",
    });
    fetch(form.dataset.previewUrl + "?" + query.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && latest.get(area) === asked) show(area, data);
      })
      .catch(function () {});
  }

  form.querySelectorAll("textarea[data-field]").forEach(function (area) {
    area.addEventListener("input", function () {
      clearTimeout(timers.get(area));
      timers.set(area, setTimeout(function () { run(area); }, 300));
    });
  });
  form.querySelectorAll("button[name=_preview]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      const area = document.getElementById(button.getAttribute("aria-controls").replace(/-preview$/, ""));
      if (!area) return;
      event.preventDefault();
      run(area);
    });
  });
  form.addEventListener("submit", function (event) {
    if (event.submitter && event.submitter.name === "_preview") return;
    // Only changed texts travel; a text changed in an earlier, refused post stays in.
    form.querySelectorAll("textarea[data-field]").forEach(function (area) {
      if (area.value === area.defaultValue && !area.dataset.changed) area.disabled = true;
    });
  });
  window.addEventListener("pageshow", function () {
    form.querySelectorAll("textarea[disabled]").forEach(function (area) { area.disabled = false; });
  });
})();
