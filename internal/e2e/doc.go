// Package e2e holds LEOC's browser end-to-end tests: each test starts the
// whole server in-process (cli.Run "serve" on 127.0.0.1:0, data in a
// temporary directory) and drives it with Debian's Chromium through chromedp,
// the way an officer would: log in, switch language, create a user, read the
// audit trail, use the phone menu. The tests watch the browser console, so a
// Content-Security-Policy violation or a JavaScript error fails them.
//
// Chromium is needed: without /usr/bin/chromium (apt-get install -y chromium)
// the tests skip, except when CI=true, where they fail. See docs/testing.md.
package e2e
