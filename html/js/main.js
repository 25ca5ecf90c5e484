/**
 * Entry point: read the configuration, set the theme, build the client and
 * connect. Loaded by the page template as `webio/main.js`.
 *
 * Modules import each other only through bare specifiers `webio/NAME.js`,
 * which the page's import map points at `?_webio_static=js/NAME.js`, so the
 * client works wherever the app is mounted.
 * @module webio/main
 */
import { createApp } from 'webio/app.js';
import { applyTheme, readConfig } from 'webio/config.js';
// The HTTP transports (Server-Sent Events, long-polling) register themselves.
import 'webio/transport_http.js';
// Output families that only add renderers (those with commands are wired in app.js).
import 'webio/out_layout.js';
import 'webio/out_media.js';
import 'webio/out_table.js';
import 'webio/out_widget.js';

const config = readConfig();
applyTheme(config.theme);
const app = createApp(config);
if (config.debug) /** @type {any} */ (window).webio = app;
app.session.start();
