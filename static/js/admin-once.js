// The upload pages' buttons marked data-once: a second click while the first request is
// on its way would send the files (or publish) twice. Once such a button sends its form,
// every one of them is disabled, and the pressed button's name and value are kept in a
// hidden field, since a disabled button is left out of what the form sends.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  if (!button || !button.hasAttribute("data-once")) return;
  if (button.name) {
    var keep = document.createElement("input");
    keep.type = "hidden";
    keep.name = button.name;
    keep.value = button.value;
    form.appendChild(keep);
  }
  form.querySelectorAll("[data-once]").forEach(function (b) { b.disabled = true; });
});
