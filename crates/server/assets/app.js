// hamkor dashboard: small comforts only. Every page works without this file.
(function () {
  "use strict";
  // Filter forms apply as soon as a choice changes.
  document.querySelectorAll("form.filters select").forEach(function (sel) {
    sel.addEventListener("change", function () { sel.form.submit(); });
  });
  // Ask before a rejection: it removes the event (a re-code will not bring it back).
  document.querySelectorAll("form.decision.reject").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var msg = document.documentElement.lang === "ru" ? "Отклонить это событие?" :
                document.documentElement.lang === "uz" ? "Bu hodisa rad etilsinmi?" : "Reject this event?";
      if (!window.confirm(msg)) { ev.preventDefault(); }
    });
  });
  // Bring the evidence the reader came for into view.
  var target = document.querySelector("mark.evidence.target");
  if (target && target.closest("details")) { target.closest("details").open = true; }
  if (target && !location.hash) { target.scrollIntoView({ block: "center" }); }
})();
