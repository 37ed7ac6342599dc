// Live length counter for "Check a post": asks the server (which counts
// exactly as the platform does) after the user pauses typing.
"use strict";

// Every word shown comes from the server in the page's language: the
// counter and summary in the JSON, the rest in data- attributes.
(function () {
  var form = document.getElementById("check-form");
  if (!form) return;
  var counter = document.getElementById("length-counter");
  var timer = null, seq = 0;
  function update() {
    var mine = ++seq;
    fetch(form.dataset.preview, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
      if (!p || mine !== seq) return;
      var n = p.findings ? p.findings.length : 0;
      counter.textContent = p.counter;
      counter.classList.toggle("over", p.length > p.limit);
    }).catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  if (document.getElementById("text").value) update();
})();

// Draft editor: the same live check as "Check a post", with the findings
// marked in the text. The marked text comes from the server, which escapes
// the post (highlight.go); the findings list is built as text nodes.
(function () {
  var form = document.getElementById("draft-form");
  if (!form) return;
  var counter = document.getElementById("length-counter");
  var marks = document.getElementById("live-marks");
  var list = document.getElementById("live-findings");
  var summary = document.getElementById("live-summary");
  var timer = null, seq = 0;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function finding(f) {
    var li = el("li", "finding sev-" + f.Severity);
    li.id = "finding-" + f.N;
    var head = el("p");
    head.appendChild(el("span", "badge sev-" + f.Severity, f.Severity));
    if (f.Clause) head.appendChild(el("span", "clause", " § " + f.Clause + (f.ClauseTitle ? " " + f.ClauseTitle : "")));
    if (f.Where) head.appendChild(el("span", "where", " " + f.Where));
    li.appendChild(head);
    li.appendChild(el("p", "message", f.Message));
    if (f.Suggestion) {
      var sug = el("p", "suggestion");
      sug.appendChild(el("strong", "", list.dataset.suggestion));
      sug.appendChild(document.createTextNode(" " + f.Suggestion));
      li.appendChild(sug);
    }
    return li;
  }
  function update() {
    var mine = ++seq;
    var body = new URLSearchParams();
    body.set("csrf", form.elements.csrf.value);
    body.set("account", form.elements.account.value);
    body.set("text", form.elements.text.value);
    fetch(form.dataset.preview, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": form.elements.csrf.value }
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (p) {
      if (!p || mine !== seq) return;
      var n = p.findings.length;
      counter.textContent = p.counter;
      counter.classList.toggle("over", p.length > p.limit);
      // The summary is the live region: changed only when the findings
      // change, so a screen reader hears it once, not at every pause.
      if (summary.textContent !== p.summary_text) summary.textContent = p.summary_text;
      marks.innerHTML = p.html;
      list.replaceChildren.apply(list, p.findings.map(finding));
    }).catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
  form.elements.text.addEventListener("input", later);
  form.elements.account.addEventListener("change", later);
  if (form.elements.text.value) update();
})();

// "Copy the text" on an approved draft for a platform without a connector.
(function () {
  var b = document.getElementById("copy-button");
  if (!b) return;
  b.addEventListener("click", function () {
    var t = document.getElementById(b.dataset.copy);
    var done = document.getElementById("copy-done");
    t.select();
    var ok = function () { done.textContent = b.dataset.done; };
    if (navigator.clipboard) navigator.clipboard.writeText(t.value).then(ok, function () { document.execCommand("copy"); ok(); });
    else { document.execCommand("copy"); ok(); }
  });
})();

// The project fields show only when the account is a project account;
// without JavaScript they always show. (A CSS :has(option:checked) rule
// did not follow the select in Chromium.)
(function () {
  var kind = document.getElementById("kind"), fields = document.getElementById("project-fields");
  if (!kind || !fields) return;
  function sync() { fields.hidden = kind.value !== "project"; }
  kind.addEventListener("change", sync);
  sync();
})();

// Request form: the pre-checks and overlaps update as the form is filled.
// The server renders the fragment (escaped by its templates); without
// JavaScript the request page shows the same after sending.
(function () {
  var form = document.getElementById("account-form");
  if (!form || !form.dataset.precheck) return;
  var out = document.getElementById("precheck");
  var timer = null, seq = 0, shown = null;
  function update() {
    var mine = ++seq;
    fetch(form.dataset.precheck, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "text/html" },
      credentials: "same-origin"
    }).then(function (r) { return r.ok ? r.text() : null; }).then(function (html) {
      // The section is a polite live region: replaced only when it changes,
      // so the same pre-checks are not read again at every pause.
      if (html === null || mine !== seq || html === shown) return;
      shown = html;
      out.innerHTML = html;
    }).catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 400); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  if (form.elements.handle && form.elements.handle.value) update();
})();
