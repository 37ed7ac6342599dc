// Live length counter for "Check a post": asks the server (which counts
// exactly as the platform does) after the user pauses typing.
"use strict";
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
      counter.textContent = p.length + " / " + p.limit + " (" + p.platform + ")" +
        (n ? ", " + n + " finding" + (n > 1 ? "s" : "") : "");
      counter.classList.toggle("over", p.length > p.limit);
    }).catch(function () {});
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 300); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  if (document.getElementById("text").value) update();
})();
