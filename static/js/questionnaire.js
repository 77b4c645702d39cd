/* Keys 1 to 7 answer a questionnaire statement and move on to the next one (issue 14.7).
 *
 * A progressive enhancement: without this script the page is plain radios (Tab between the
 * statements, arrow keys within one) and says nothing about number keys. The keys act only
 * while a statement's answer has focus (WCAG 2.1.4), never with Ctrl, Alt or Meta and never on
 * a held-down key, so a screen reader's own keys and the browser's shortcuts keep working and
 * focus is never held: Tab and Shift+Tab go where they always go.
 */
(() => {
  "use strict";
  const form = document.querySelector("form.statements");
  if (!form) return;
  const statements = [...form.querySelectorAll("fieldset.statement")];
  const status = document.getElementById("answer-status");
  const hint = document.getElementById("keyboard-hint");

  const radios = fieldset => [...fieldset.querySelectorAll("input[type=radio]")];
  const labelOf = radio => form.querySelector(`label[for="${radio.id}"]`).textContent.trim();

  // Where Tab would land in a statement: its chosen answer, or else its first one.
  const entryPoint = fieldset => radios(fieldset).find(r => r.checked) || radios(fieldset)[0];

  function announce(fieldset, radio) {
    const number = statements.indexOf(fieldset) + 1;
    status.textContent = form.dataset.chosen
      .replace("{number}", String(number))
      .replace("{answer}", labelOf(radio));
  }

  function moveOn(fieldset) {
    const next = statements[statements.indexOf(fieldset) + 1];
    const target = next ? entryPoint(next) : form.querySelector(".nav-next");
    target.focus({ preventScroll: true });
    (next || target).scrollIntoView({ block: "nearest" });
  }

  function answerByKey(event) {
    const radio = event.target;
    if (!(radio instanceof HTMLInputElement) || radio.type !== "radio") return;
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat || event.isComposing) return;
    if (!/^[1-7]$/.test(event.key)) return;
    const fieldset = radio.closest("fieldset.statement");
    const choice = fieldset && radios(fieldset).find(r => r.value === event.key);
    if (!choice) return;
    event.preventDefault();
    choice.checked = true;
    choice.dispatchEvent(new Event("input", { bubbles: true }));
    choice.dispatchEvent(new Event("change", { bubbles: true }));
    announce(fieldset, choice);
    moveOn(fieldset);
  }

  for (const fieldset of statements) {
    for (const radio of radios(fieldset)) {
      if (/^[1-7]$/.test(radio.value)) radio.setAttribute("aria-keyshortcuts", radio.value);
    }
  }
  form.addEventListener("keydown", answerByKey);
  if (hint) hint.hidden = false;
})();
