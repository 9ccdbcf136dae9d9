// Forms marked data-keep-input: leaving the page (a link, the back button, closing the tab) after typing
// something asks first, so that nothing typed is dropped without a warning. Sending the form does not ask.
// Without JavaScript the forms still keep what was typed when they are sent (one form per page).
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-keep-input]");
  if (!forms.length) {
    return;
  }
  var changed = false;
  forms.forEach(function (form) {
    form.addEventListener("input", function () {
      changed = true;
    });
    form.addEventListener("change", function () {
      changed = true;
    });
    form.addEventListener("submit", function () {
      changed = false;
    });
  });
  window.addEventListener("beforeunload", function (event) {
    if (changed) {
      event.preventDefault();
      event.returnValue = "";  // older browsers show their own question only with a value set
    }
  });
})();
