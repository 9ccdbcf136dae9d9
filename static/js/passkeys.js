// Passkeys (WebAuthn) through allauth's own scripts (mfa/js/webauthn-json.js, mfa/js/webauthn.js, loaded before
// this file): the page's JSON block #passkey-config (networks.templatetags.passkeys) names allauth's form helper
// (addForm, authenticateForm or loginForm), the ids of its button and hidden field and, where the page has them, the
// server's options. No inline script (the CSP allows none). A browser without passkeys shows #passkey-unsupported; a
// passkey that fails or is cancelled shows #passkey-error (their texts are in the page, in its language) instead of
// allauth's console error.
(function () {
  "use strict";
  var node = document.getElementById("passkey-config");
  var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms;
  if (!node || !forms) {
    return;
  }
  var config = JSON.parse(node.textContent);
  var button = document.getElementById(config.ids.login || config.ids.add || config.ids.authenticate);

  function show(id) {
    var box = document.getElementById(id);
    if (!box) {
      return;
    }
    if (button && !box.closest("main")) {
      button.parentElement.insertAdjacentElement("afterend", box);  // the login page has it after its footer
    }
    box.hidden = false;
    box.focus();
  }

  document.addEventListener("allauth.error", function (event) {
    event.preventDefault();
    show("passkey-error");
  });
  if (!window.PublicKeyCredential) {
    show("passkey-unsupported");
  }
  forms[config.kind]({ ids: config.ids, data: config.data });
})();
