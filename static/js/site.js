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
  function copy(text, button) {
    var status = document.querySelector(".copied");
    var done = function () {
      if (!status) return;
      status.textContent = status.dataset.copied;
      setTimeout(function () { status.textContent = ""; }, 2000);
    };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, done);
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
