// Mark the paragraph a deep link points to (CSS :target does the rest), and
// turn the "Cite" buttons on: without JavaScript the citation text stays selectable.
(function () {
  function markTarget() {
    document.querySelectorAll(".is-target").forEach(function (el) { el.classList.remove("is-target"); });
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    el.classList.add("is-target");
    el.setAttribute("tabindex", "-1");
    el.focus({ preventScroll: true });
    el.scrollIntoView({ block: "start" });
  }
  // Say what happened: "Copied" only when it was; otherwise select the citation's text
  // in the page so that it can be copied by hand, and say so.
  function copy(text, button) {
    var status = document.querySelector(".copied");
    var say = function (message) {
      if (!status) return;
      status.textContent = message;
      setTimeout(function () { status.textContent = ""; }, 4000);
    };
    var byHand = function () {
      var shown = button.closest("details").querySelector("p");
      var range = document.createRange();
      range.selectNodeContents(shown);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      say(status.dataset.failed);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say(status.dataset.copied); }, byHand);
    } else {
      byHand();
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("button[data-copy]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { copy(b.dataset.copy, b); });
    });
    markTarget();
  });
  window.addEventListener("hashchange", markTarget);
})();
