/*! chatleads lead widget v1: docs/widget.md */
(() => {
  'use strict';

  // Where this script came from is where leads go: the page names no other address.
  const script = document.currentScript || document.querySelector('script[data-chatbot-id][src*="/widget/v1.js"]');
  if (!script || script.hasAttribute('data-chatleads-started')) {
    return;
  }
  script.setAttribute('data-chatleads-started', '');
  const base = new URL(script.src, location.href).origin;
  const chatbotId = script.getAttribute('data-chatbot-id') || '';
  const targetSelector = script.getAttribute('data-target');
  const mode = script.getAttribute('data-mode') || (targetSelector ? 'inline' : 'bubble');
  const left = script.getAttribute('data-position') === 'left';
  // Submissions that fill the field people never see are bots (the server answers them like the others).
  const HONEYPOT = 'website';
  const MAX_TRIES = 6;
  const MAX_WAITS = 5;
  // The longest a server's Retry-After keeps a visitor waiting before the next try.
  const MAX_WAIT_SECONDS = 120;

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const fire = (name, detail) => document.dispatchEvent(new CustomEvent('chatleads:' + name, { detail }));
  const warn = (message) => console.warn('chatleads: ' + message);

  /** An element with attributes (never `style`: a strict Content-Security-Policy forbids them) and children. */
  const h = (tag, attrs, ...children) => {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === true) {
        element.setAttribute(name, '');
      } else if (value != null && value !== false) {
        element.setAttribute(name, value);
      }
    }
    for (const child of children) {
      if (child != null) {
        element.append(child);
      }
    }
    return element;
  };

  const uuid = () => {
    if (crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  };

  /** Fails with `.code` (invalid, unavailable, failed), and for a field the server named, `.field`. */
  const failure = (code, message, field) => Object.assign(new Error(message), { code, field: field || null });

  // The server's 400 messages start with the field they are about ("phone is not a valid …").
  const fieldOf = (message) => {
    const match = /^(name|email|phone)\b/.exec(message || '');
    return match && !/^email or phone\b/.test(message) ? match[1] : null;
  };

  let config = null;
  const configLoaded = fetch(base + '/api/v1/chatbots/' + encodeURIComponent(chatbotId) + '/widget', {
    credentials: 'omit',
    // The console's preview asks the server every time (a 304 when unchanged): it must show settings just saved,
    // which the browser's cached copy (max-age=60) would hide for a minute.
    cache: script.hasAttribute('data-preview') ? 'no-cache' : 'default',
  }).then(async (response) => {
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      warn(body.message || 'the widget configuration answered ' + response.status);
      throw failure('unavailable', body.message || 'unavailable');
    }
    config = await response.json();
    return config;
  }, (error) => {
    warn('cannot load the widget configuration from ' + base + ': ' + error.message);
    throw failure('unavailable', error.message);
  });
  configLoaded.catch(() => {});

  const text = (key, fallback) => (config && config.texts[key]) || fallback || '';

  /**
   * A 503's Retry-After in seconds (delta-seconds, or an HTTP-date such as
   * `Wed, 21 Oct 2015 07:28:00 GMT`), kept between 1 and MAX_WAIT_SECONDS; null when it is
   * missing or neither form.
   */
  const retryAfter = (response) => {
    const value = (response.headers.get('Retry-After') || '').trim();
    const seconds = /^[0-9]+$/.test(value) ? Number(value)
      : /GMT$/i.test(value) ? (Date.parse(value) - Date.now()) / 1000 : NaN;
    return Number.isNaN(seconds) ? null : Math.min(MAX_WAIT_SECONDS, Math.max(1, seconds));
  };

  /**
   * Sends one lead, retrying network failures and 5xx with backoff (a 503 no sooner than its
   * Retry-After) and waiting out 429s, always under the same Idempotency-Key: however many
   * tries it takes, the server keeps one lead.
   * `status` is told what is going on (retrying, waiting). Resolves to the lead's id.
   */
  const deliver = async (lead, key, status) => {
    const body = JSON.stringify(lead);
    let tries = 0;
    let waits = 0;
    for (;;) {
      let response;
      try {
        response = await fetch(base + '/api/v1/chatbots/' + encodeURIComponent(chatbotId) + '/leads', {
          method: 'POST',
          credentials: 'omit',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key },
          body,
        });
      } catch (error) {
        response = null;
      }
      if (response && response.status < 300) {
        const stored = await response.json().catch(() => ({}));
        return stored.id == null ? null : stored.id;
      }
      if (response && response.status === 429 && waits < MAX_WAITS) {
        waits++;
        const seconds = Math.min(MAX_WAIT_SECONDS, Math.max(1, parseInt(response.headers.get('Retry-After'), 10) || 5));
        status('waiting');
        await sleep(seconds * 1000);
        continue;
      }
      if (response && response.status < 500) {
        const answer = await response.json().catch(() => ({}));
        const message = answer.message || 'answered ' + response.status;
        if (response.status === 400) {
          throw failure('invalid', message, fieldOf(message));
        }
        throw failure(response.status === 403 || response.status === 404 ? 'unavailable' : 'failed', message);
      }
      // No answer (offline, the server unreachable, or a refusal the browser hides) or a 5xx.
      if (++tries >= MAX_TRIES) {
        throw failure('failed', response ? 'answered ' + response.status : 'network error');
      }
      status('retrying');
      // A 503 that says when to come back (the database away, say: Retry-After: 2) is never tried
      // sooner; the backoff still grows past it, so that six tries still span half a minute of outage.
      const asked = response && response.status === 503 ? retryAfter(response) : null;
      const backoff = Math.min(16000, 1000 * 2 ** (tries - 1)) * (0.8 + Math.random() * 0.4);
      await sleep(Math.max(backoff, asked == null ? 0 : asked * 1000));
    }
  };

  const CSS = (accent) => {
    const rgb = [1, 3, 5].map((i) => parseInt(accent.slice(i, i + 2), 16) / 255);
    const light = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] > 0.55;
    return `
:host{all:initial;display:block;--a:${accent};--on-a:${light ? '#111827' : '#fff'};--bg:#fff;--fg:#111827;--muted:#4b5563;
--line:#d1d5db;--field:#fff;--bad:#b91c1c;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
:host([data-chatleads=popup]){display:inline-block}
@media (prefers-color-scheme:dark){:host{--bg:#111827;--fg:#f3f4f6;--muted:#9ca3af;--line:#4b5563;--field:#1f2937;--bad:#fca5a5}}
*{box-sizing:border-box;font:inherit;color:inherit}
.card{background:var(--bg);border:1px solid var(--line);border-radius:12px;padding:20px;max-width:440px}
h2{margin:0 0 4px;font-size:18px;font-weight:650}
.intro{margin:0 0 14px;color:var(--muted)}
.f{margin:0 0 12px}
label{display:block;margin:0 0 4px;font-weight:550}
.opt{font-weight:400;color:var(--muted)}
input[type=text],input[type=email],input[type=tel]{display:block;width:100%;padding:9px 11px;border:1px solid var(--line);
border-radius:8px;background:var(--field)}
input::placeholder{color:var(--muted);opacity:.8}
input[aria-invalid=true]{border-color:var(--bad)}
:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.err{margin:4px 0 0;color:var(--bad);font-size:14px}
.err:empty,.st:empty{display:none}
.consent{display:flex;gap:8px;align-items:flex-start;margin:0 0 12px}
.consent+.err{margin:-8px 0 12px}
.consent input{margin:3px 0 0;width:18px;height:18px;flex:none;accent-color:var(--a)}
.consent label{font-weight:400;margin:0}
a{color:var(--a);text-decoration:underline}
@media (prefers-color-scheme:dark){a{color:inherit}}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{cursor:pointer;border:0;border-radius:8px;background:var(--a);color:var(--on-a);font-weight:600;padding:10px 16px}
button[aria-disabled=true]{opacity:.7;cursor:progress}
.send{width:100%;margin-top:4px}
.st{margin:10px 0 0;color:var(--muted)}
.done{margin:0;font-size:16px}
.x{position:absolute;top:10px;right:10px;background:transparent;color:var(--muted);padding:4px 9px;font-size:20px;line-height:1}
dialog{border:0;padding:0;background:transparent;max-width:none;max-height:none;color:inherit}
dialog .card{position:relative;padding-top:24px;box-shadow:0 12px 40px rgba(0,0,0,.28);max-height:calc(100vh - 32px);overflow:auto}
.pop{width:min(440px,calc(100vw - 32px))}
.pop::backdrop{background:rgba(17,24,39,.5)}
.pop[open]{animation:in .16s ease-out}
@keyframes in{from{opacity:0;transform:translateY(8px) scale(.98)}}
.bub{position:fixed;z-index:2147483000;bottom:20px;${left ? 'left' : 'right'}:20px;display:flex;gap:8px;align-items:center;
border-radius:999px;padding:12px 18px;box-shadow:0 6px 24px rgba(0,0,0,.25)}
.bub svg{width:20px;height:20px;fill:currentColor}
.panel{position:fixed;z-index:2147483000;inset:${left ? 'auto auto 84px 20px' : 'auto 20px 84px auto'};margin:0;width:min(380px,calc(100vw - 40px))}
.panel[open]{animation:in .16s ease-out}
@media (max-width:480px){.panel{inset:auto 8px 8px 8px;width:auto}.bub{bottom:12px;${left ? 'left' : 'right'}:12px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}`;
  };

  /** The styles, without a <style> element where the browser can: a strict policy would refuse that. */
  const style = (root, css) => {
    if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function' && CSSStyleSheet.prototype.replaceSync) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(h('style', null, css));
    }
  };

  const shadowHost = (where) => {
    const host = h('div', { 'data-chatleads': mode });
    where(host);
    const root = host.attachShadow({ mode: 'open' });
    const accent = /^#[0-9a-f]{6}$/i.test(config.accentColor) ? config.accentColor : '#2563eb';
    style(root, CSS(accent));
    return root;
  };

  /** The form, with its own submission state; `onDone` runs after the success message is shown. */
  const buildForm = (extra) => {
    const inputs = {};
    const errors = {};
    const fields = config.fields.map((field) => {
      const id = 'cl-' + field.name;
      const type = { name: 'text', email: 'email', phone: 'tel' }[field.name];
      const input = h('input', {
        id, name: field.name, type, placeholder: field.placeholder || null,
        autocomplete: { name: 'name', email: 'email', phone: 'tel' }[field.name],
        'aria-required': field.required ? 'true' : null, 'aria-describedby': id + '-err',
        inputmode: field.name === 'email' ? 'email' : null, maxlength: { name: '200', email: '254', phone: '64' }[field.name],
      });
      inputs[field.name] = input;
      errors[field.name] = h('p', { class: 'err', id: id + '-err', 'aria-live': 'polite' });
      return h('div', { class: 'f' },
        h('label', { for: id }, field.label, field.required ? null : h('span', { class: 'opt' }, ' ' + text('optional'))),
        input, errors[field.name]);
    });
    const honeypot = h('input', { name: HONEYPOT, type: 'text', tabindex: '-1', autocomplete: 'off' });
    let consent = null;
    if (config.consent && /^https?:\/\//i.test(config.consent.url)) {
      consent = h('input', { id: 'cl-consent', type: 'checkbox', 'aria-describedby': 'cl-consent-err', 'aria-required': 'true' });
      errors.consent = h('p', { class: 'err', id: 'cl-consent-err', 'aria-live': 'polite' });
    }
    const button = h('button', { type: 'submit', class: 'send' }, text('submit'));
    const status = h('p', { class: 'st', role: 'status', 'aria-live': 'polite' });
    const form = h('form', { novalidate: true, 'aria-labelledby': 'cl-title' },
      h('h2', { id: 'cl-title' }, text('title')),
      text('intro') ? h('p', { class: 'intro' }, text('intro')) : null,
      ...fields,
      h('div', { class: 'hp', 'aria-hidden': 'true' }, h('label', null, 'Website', honeypot)),
      consent && h('div', null, h('div', { class: 'consent' }, consent, h('label', { for: 'cl-consent' },
        config.consent.text + ' ', h('a', { href: config.consent.url, target: '_blank', rel: 'noopener noreferrer' },
          config.consent.linkText))), errors.consent),
      button, status);
    const container = h('div', null, form);

    let busy = false;
    let lastBody = null;
    let lastKey = null;

    const show = (name, message) => {
      errors[name].textContent = message || '';
      const input = name === 'consent' ? consent : inputs[name];
      if (message) {
        input.setAttribute('aria-invalid', 'true');
      } else {
        input.removeAttribute('aria-invalid');
      }
    };

    /** The visitor's mistakes we can see without asking the server; the first one gets the focus. */
    const check = () => {
      const problems = {};
      for (const field of config.fields) {
        const value = inputs[field.name].value.trim();
        if (field.required && !value) {
          problems[field.name] = text('required');
        } else if (field.name === 'email' && value && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value)) {
          problems.email = text('invalidEmail');
        }
      }
      const contact = ['email', 'phone'].filter((name) => inputs[name]);
      // A lead needs one way to reach the visitor, even when neither field is required by itself.
      if (contact.every((name) => !inputs[name].value.trim()) && !contact.some((name) => problems[name])) {
        problems[contact[0]] = text(contact.length > 1 ? 'emailOrPhone' : 'required');
      }
      if (consent && !consent.checked) {
        problems.consent = text('consentRequired');
      }
      for (const name of Object.keys(errors)) {
        show(name, problems[name]);
      }
      const first = Object.keys(errors).find((name) => problems[name]);
      if (first) {
        (first === 'consent' ? consent : inputs[first]).focus();
      }
      return !first;
    };

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      // A second click while the first is on its way sends nothing more.
      if (busy || !check()) {
        return;
      }
      const lead = {};
      for (const name of Object.keys(inputs)) {
        const value = inputs[name].value.trim();
        if (value) {
          lead[name] = value;
        }
      }
      if (extra.conversationId) {
        lead.conversationId = extra.conversationId;
      }
      if (honeypot.value) {
        lead[HONEYPOT] = honeypot.value;
      }
      // The same details sent again after a failure keep their key: if the first try was in fact
      // stored, the server answers with that lead instead of storing a second.
      const body = JSON.stringify(lead);
      const key = body === lastBody ? lastKey : uuid();
      lastBody = body;
      lastKey = key;
      busy = true;
      button.setAttribute('aria-disabled', 'true');
      button.textContent = text('sending');
      status.textContent = '';
      try {
        const leadId = await deliver(lead, key, (what) => { status.textContent = text(what); });
        const done = h('p', { class: 'done', tabindex: '-1', role: 'status' }, text('success'));
        container.replaceChildren(done);
        done.focus();
        fire('submitted', { chatbotId, leadId, conversationId: lead.conversationId || null });
      } catch (error) {
        if (error.field && errors[error.field]) {
          show(error.field, error.message);
          inputs[error.field].focus();
          status.textContent = '';
        } else if (error.code === 'invalid') {
          status.textContent = /^email or phone\b/.test(error.message) ? text('emailOrPhone') : error.message;
        } else {
          status.textContent = error.code === 'unavailable' ? text('unavailable') : text('failed');
        }
        fire('error', { chatbotId, code: error.code, field: error.field, message: error.message });
      } finally {
        busy = false;
        button.removeAttribute('aria-disabled');
        button.textContent = text('submit');
      }
    });

    const prefill = (values) => {
      for (const name of Object.keys(inputs)) {
        if (values && typeof values[name] === 'string' && !inputs[name].value) {
          inputs[name].value = values[name];
        }
      }
    };
    const focusFirst = () => {
      const first = form.querySelector('input:not([tabindex="-1"])');
      (first || container.firstChild).focus();
    };
    return { element: container, prefill, focusFirst };
  };

  const ICON = 'M4 4h16a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 3.2V18h16V7.2l-8 5-8-5zM5.4 6 12 10.1 18.6 6H5.4z';

  /** A dialog around the form: modal for popup (and hidden) mode, beside the page for the bubble. */
  const dialogWidget = (root, launcher, modal) => {
    const extra = {};
    let form = null;
    let returnFocus = null;
    const dialog = h('dialog', { class: modal ? 'pop' : 'panel', 'aria-labelledby': 'cl-title' });
    const card = h('div', { class: 'card' });
    const close = h('button', { type: 'button', class: 'x', 'aria-label': text('close') }, '×');
    dialog.append(card);
    root.append(dialog);
    const shut = () => {
      if (dialog.open) {
        dialog.close();
      }
    };
    close.addEventListener('click', shut);
    // Escape closes a modal dialog by itself; the bubble's panel is not modal.
    dialog.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        shut();
      }
    });
    dialog.addEventListener('close', () => {
      if (launcher) {
        launcher.setAttribute('aria-expanded', 'false');
      }
      const back = returnFocus;
      returnFocus = null;
      if (back && back.isConnected) {
        back.focus();
      }
    });
    const open = (options) => {
      if (!form || !form.element.querySelector('form')) {
        // A fresh form after a success, so the visitor can send again.
        extra.conversationId = null;
        form = buildForm(extra);
        card.replaceChildren(close, form.element);
      }
      if (options && options.conversationId) {
        extra.conversationId = String(options.conversationId);
      }
      form.prefill(options);
      if (!dialog.open) {
        returnFocus = launcher || deepActive();
        if (modal) {
          dialog.showModal();
        } else {
          dialog.show();
        }
        if (launcher) {
          launcher.setAttribute('aria-expanded', 'true');
        }
      }
      form.focusFirst();
    };
    if (launcher) {
      launcher.setAttribute('aria-haspopup', 'dialog');
      launcher.setAttribute('aria-expanded', 'false');
      launcher.addEventListener('click', () => (dialog.open ? shut() : open()));
    }
    return { open, close: shut };
  };

  const deepActive = () => {
    let active = document.activeElement;
    while (active && active.shadowRoot && active.shadowRoot.activeElement) {
      active = active.shadowRoot.activeElement;
    }
    return active;
  };

  const svg = () => {
    const ns = 'http://www.w3.org/2000/svg';
    const icon = document.createElementNS(ns, 'svg');
    icon.setAttribute('viewBox', '0 0 24 24');
    icon.setAttribute('aria-hidden', 'true');
    const path = document.createElementNS(ns, 'path');
    path.setAttribute('d', ICON);
    icon.append(path);
    return icon;
  };

  const target = () => {
    const element = targetSelector && document.querySelector(targetSelector);
    if (targetSelector && !element) {
      warn('no element matches data-target="' + targetSelector + '"');
    }
    return element;
  };

  /** Where the script tag is (in the body; a tag in <head> puts it at the end of the body). */
  const besideScript = (host) => {
    if (script.parentNode && script.parentNode !== document.head && document.body.contains(script)) {
      script.parentNode.insertBefore(host, script);
    } else {
      document.body.append(host);
    }
  };

  let widget = null;

  const draw = () => {
    if (mode === 'inline') {
      const into = target();
      if (!into) {
        return null;
      }
      const root = shadowHost((host) => into.append(host));
      const extra = {};
      let form = buildForm(extra);
      const card = h('div', { class: 'card' }, form.element);
      root.append(card);
      return {
        open: (options) => {
          if (!card.querySelector('form')) {
            form = buildForm(extra);
            card.replaceChildren(form.element);
          }
          if (options && options.conversationId) {
            extra.conversationId = String(options.conversationId);
          }
          form.prefill(options);
          form.focusFirst();
        },
        close: () => {},
      };
    }
    if (mode === 'popup') {
      const into = targetSelector ? target() : null;
      const root = shadowHost((host) => (into ? into.append(host) : besideScript(host)));
      const launcher = h('button', { type: 'button' }, text('open'));
      root.append(launcher);
      return dialogWidget(root, launcher, true);
    }
    if (mode === 'hidden') {
      return dialogWidget(shadowHost((host) => document.body.append(host)), null, true);
    }
    const root = shadowHost((host) => document.body.append(host));
    const launcher = h('button', { type: 'button', class: 'bub' }, svg(), h('span', null, text('open')));
    root.append(launcher);
    return dialogWidget(root, launcher, false);
  };

  const ready = configLoaded.then(() => new Promise((resolve) => {
    const go = () => {
      widget = draw();
      resolve(widget);
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', go, { once: true });
    } else {
      go();
    }
  }), (error) => {
    // Inline, the visitor sees why there is no form; a button or bubble is simply not shown.
    const show = () => {
      const into = mode === 'inline' && target();
      if (into) {
        into.append(h('p', { 'data-chatleads': 'unavailable', role: 'status' }, 'This form is not available on this website.'));
      }
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', show, { once: true });
    } else {
      show();
    }
    throw error;
  });
  ready.catch(() => {});

  /** The page's calls: chatleads('open' [, {conversationId, name, email, phone}]), ('close'), ('submit', lead). */
  const api = (command, options) => {
    if (command === 'submit') {
      return configLoaded.catch((error) => {
        fire('error', { chatbotId, code: error.code, field: null, message: error.message });
        throw error;
      }).then(async () => {
        const lead = {};
        for (const name of ['name', 'email', 'phone', 'conversationId']) {
          if (options && options[name] != null && String(options[name]).trim()) {
            lead[name] = String(options[name]).trim();
          }
        }
        try {
          const leadId = await deliver(lead, uuid(), () => {});
          fire('submitted', { chatbotId, leadId, conversationId: lead.conversationId || null });
          return leadId;
        } catch (error) {
          fire('error', { chatbotId, code: error.code, field: error.field, message: error.message });
          throw error;
        }
      });
    }
    if (command === 'open' || command === 'close') {
      return ready.then((drawn) => {
        if (drawn) {
          drawn[command](options);
        }
      });
    }
    return Promise.reject(failure('invalid', 'unknown command ' + command));
  };

  // Calls made before this script loaded, queued by the stub snippet (docs/widget.md).
  const queued = (window.chatleads && window.chatleads.q) || [];
  window.chatleads = api;
  for (const call of queued) {
    const [args, resolve, reject] = Array.isArray(call) ? call : [call];
    const result = api(...Array.from(args));
    if (resolve) {
      result.then(resolve, reject);
    } else {
      result.catch(() => {});
    }
  }
})();
