// Browser tests of the hamkor dashboard in headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core. Run by crates/cli/tests/server_browser.rs against a real
// `hamkor serve` on the demo store; by hand:
//
//   HAMKOR_URL=http://127.0.0.1:8080/ HAMKOR_TOKEN=hk_... SCREENSHOTS=/tmp/shots node dashboard.mjs
//
// Two walks, each checking what is on the page, not only that it loads:
//   1. overview → a dyad → its events in a domain → an event → its evidence in its document;
//   2. sign in → the review queue → accept one event, edit another, reject a third → the audit log.
// A screenshot of every step goes to $SCREENSHOTS.

import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

const base = (process.env.HAMKOR_URL || "http://127.0.0.1:8080/").replace(/\/?$/, "/");
const token = process.env.HAMKOR_TOKEN;
const shots = process.env.SCREENSHOTS || "screenshots";
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
assert.ok(token, "HAMKOR_TOKEN is needed for the review walk");
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
let step = 0;
let passed = 0;
let failed = 0;
const failures = [];

async function shot(page, name) {
  step += 1;
  const file = join(shots, `${String(step).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

async function walk(name, fn) {
  // A fresh profile (context) per walk: no cookies carried over.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-GB" });
  const page = await context.newPage();
  const external = [];
  page.on("request", (r) => { if (!r.url().startsWith(base) && !r.url().startsWith("data:")) external.push(r.url()); });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  try {
    await fn(page);
    assert.deepEqual(external, [], "the dashboard fetched nothing from outside");
    assert.deepEqual(errors, [], "no script errors");
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    failures.push(`${name}: ${e.stack || e}`);
    console.log(`not ok - ${name}\n${e.stack || e}`);
    try { await shot(page, `FAILED-${name.replace(/\W+/g, "-")}`); } catch {}
  } finally {
    await context.close();
  }
}

await walk("overview → dyad → events → event → evidence", async (page) => {
  await page.goto(base);
  await assert.doesNotReject(page.waitForSelector("h1"));
  assert.equal(await page.textContent("h1"), "Cooperation in Central Asia");
  assert.ok(await page.locator("figure svg.hamkor-chart, figure svg").count() >= 1, "the map is drawn");
  const firstPair = page.locator("#dyads a.dyad").first();
  const pairName = (await firstPair.textContent()).trim();
  assert.match(pairName, /^[\p{L} ]+ – [\p{L} ]+$/u, `a pair of actors: ${pairName}`);
  await shot(page, "overview");

  // Filters are links too: a domain filter changes the counts and keeps the URL.
  await firstPair.click();
  await page.waitForURL(/\/dyads\/[A-Z]+-[A-Z]+/);
  assert.equal((await page.textContent("h1")).trim(), pairName, "the dyad page is the pair clicked");
  const domains = page.locator("#by-domain a.domain");
  assert.ok(await domains.count() >= 1, "the pair has events by domain");
  const domainName = (await domains.first().textContent()).trim();
  const domainCount = Number((await page.locator("#by-domain tr").first().locator("td.num").textContent()).trim());
  assert.ok(domainCount >= 1);
  await shot(page, "dyad");

  await domains.first().click();
  await page.waitForURL(/\/events\?/);
  const url = new URL(page.url());
  assert.ok(url.searchParams.get("pair"), "the list is filtered by the pair");
  assert.ok(url.searchParams.get("domain"), "and by the domain");
  const rows = page.locator("table.events tbody tr");
  assert.ok(await rows.count() >= 1, "the domain's events are listed");
  const [a, b] = pairName.split(" – ");
  for (const text of await rows.locator("td:nth-child(3)").allTextContents()) {
    assert.ok(text.includes(a) && text.includes(b), `every event involves both: ${text}`);
  }
  for (const text of await rows.locator("td:nth-child(4)").allTextContents()) {
    assert.ok(text.includes(domainName), `every event is in ${domainName}: ${text}`);
  }
  await shot(page, "events");

  const evidenceLink = rows.first().locator("td.evidence a");
  const listed = (await evidenceLink.textContent()).trim().replace(/…$/, "");
  await evidenceLink.click();
  await page.waitForURL(/\/events\/\d+$/);
  // The page lists every report of the happening; the one clicked is its own article (which
  // comes first depends on the order the documents were stored in).
  const clicked = new URL(page.url()).pathname.split("/").pop();
  const mark = page.locator(`article#report-${clicked} blockquote.evidence mark.evidence.target`).first();
  const sentence = (await mark.textContent()).trim();
  assert.ok(sentence.length > 10, "the evidence sentence is shown");
  assert.ok(sentence.replace(/\s+/g, " ").startsWith(listed.slice(0, 40).trim()), "the sentence the list showed");
  assert.match(await page.textContent("h2"), /Reports \(\d+\)/);
  await shot(page, "event");

  // The evidence in its document: the report's link jumps to the anchor, highlighted.
  const docLink = page.locator(`article#report-${clicked} h3 a`).first();
  const href = await docLink.getAttribute("href");
  assert.match(href, /^\/documents\/\d+#ev-\d+$/);
  await docLink.click();
  await page.waitForURL(/\/documents\/\d+#ev-\d+$/);
  const anchor = href.split("#")[1];
  assert.equal(await page.locator(`#${anchor}`).count(), 1, "the anchor is in the document");
  const highlighted = await page.locator("div.doctext mark.evidence").allTextContents();
  assert.ok(highlighted.some((t) => t.replace(/\s+/g, " ").includes(sentence.replace(/\s+/g, " ").slice(0, 30))), "the sentence is highlighted in its document");
  const docText = await page.textContent("div.doctext");
  assert.ok(docText.length > sentence.length, "the whole document is there");
  await shot(page, "evidence-in-document");

  // The same page in Russian and Uzbek.
  await page.goto(base + "?lang=ru");
  assert.equal(await page.textContent("h1"), "Сотрудничество в Центральной Азии");
  await page.goto(base + "heatmap");
  assert.equal(await page.textContent("h1"), "Пары × сферы", "the language is remembered");
  // Every cell links to exactly the canonical events it counts: as many rows as the number.
  const cell = page.locator("#heatmap td.num a").first();
  assert.match(await cell.getAttribute("href"), /^\/happenings\?.*dims=dyad%2Cdomain.*key=/, "every heatmap cell links to its events");
  const counted = Number((await cell.textContent()).trim());
  await shot(page, "heatmap-ru");
  await cell.click();
  await page.waitForURL(/\/happenings\?/);
  assert.equal(await page.locator("#happenings tr.happening").count(), counted, "the list behind a cell has as many events as the cell");
  await page.goto(base + "timeline?lang=uz");
  assert.equal(await page.textContent("h1"), "Xronologiya");
  await shot(page, "timeline-uz");
});

await walk("review: sign in, accept, edit, reject", async (page) => {
  page.on("dialog", (d) => d.accept());
  await page.goto(base + "review");
  assert.ok(await page.locator("p.signin").count() === 1, "the queue asks to sign in first");
  await page.click("p.signin a");
  await page.waitForURL(/\/login/);
  await page.fill("input[name=token]", token);
  await page.click("form.login button[type=submit]");
  await page.waitForURL(/\/review$/);
  assert.match(await page.textContent("header .who"), /Browser Reviewer/, "signed in under the token's name");
  const first = page.locator("table.events tbody tr").first();
  const confidences = (await page.locator("table.events tbody tr td.num").allTextContents()).map(Number);
  assert.ok(confidences.every((c, i) => i === 0 || confidences[i - 1] <= c), "lowest confidence first");
  await shot(page, "review-queue");

  // Accept.
  await first.locator("td.evidence a").click();
  await page.waitForURL(/\/review\/events\/\d+$/);
  const acceptedId = page.url().match(/(\d+)$/)[1];
  await page.fill("form.accept input[name=reason]", "checked against the text");
  await page.click("form.accept button[type=submit]");
  await page.waitForURL(/done=accepted/);
  assert.equal((await page.textContent("p.flash")).trim(), "Accepted.");
  assert.equal((await page.textContent("dd.state")).trim(), "reviewed by a person");
  assert.match(await page.textContent("table.audit"), /Browser Reviewer[\s\S]*accept[\s\S]*checked against the text/);
  await shot(page, "review-accepted");

  // Edit the next event in the queue.
  await page.goto(base + "review");
  await page.locator("table.events tbody tr td.evidence a").first().click();
  await page.waitForURL(/\/review\/events\/\d+$/);
  const editedId = page.url().match(/(\d+)$/)[1];
  assert.notEqual(editedId, acceptedId, "the accepted event left the queue");
  await page.selectOption("form.edit select[name=type]", "joint_activity");
  await page.fill("form.edit input[name=actors]", "KAZ, UZB, TJK");
  for (const box of await page.locator("form.edit input[name=domains]").all()) { await box.uncheck(); }
  await page.check("form.edit input[name=domains][value=water]");
  await page.check("form.edit input[name=domains][value=health]");
  await page.fill("form.edit input[name=date]", "2023-05");
  await page.fill("form.edit input[name=reason]", "three parties; a joint project");
  await page.click("form.edit button[type=submit]");
  await page.waitForURL(/done=edited/);
  assert.equal((await page.textContent("p.flash")).trim(), "Correction saved.");
  assert.match(await page.textContent("dd.type"), /Joint activity/);
  assert.match(await page.textContent("dd.actors"), /KAZ,TJK,UZB/);
  assert.match(await page.textContent("dd.domains"), /Health, Water/);
  assert.equal((await page.textContent("dd.date")).trim(), "2023-05");
  await shot(page, "review-edited");

  // Reject the next one (a confirmation dialog asks first; the script accepts it).
  await page.goto(base + "review");
  await page.locator("table.events tbody tr td.evidence a").first().click();
  await page.waitForURL(/\/review\/events\/\d+$/);
  const rejectedId = page.url().match(/(\d+)$/)[1];
  await page.fill("form.reject input[name=reason]", "a rumour, not an event");
  await shot(page, "review-before-reject");
  await page.click("form.reject button[type=submit]");
  await page.waitForURL(/done=rejected/);
  assert.match(await page.textContent("p.flash"), /Rejected/);
  assert.notEqual(page.url().match(/\/review\/events\/(\d+)/)?.[1], rejectedId, "on to the next event");
  const gone = await page.request.get(base + `api/events/${rejectedId}`);
  assert.equal(gone.status(), 404, "the rejected event is gone");
  await shot(page, "review-rejected-next");

  // The audit log has all three, by this reviewer, with their reasons.
  await page.goto(base + "review/audit");
  const log = await page.textContent("table.audit");
  for (const [action, id, why] of [["accept", acceptedId, "checked against the text"], ["edit", editedId, "three parties"], ["reject", rejectedId, "a rumour"]]) {
    assert.ok(log.includes(`event:${id}`) && log.includes(action) && log.includes(why), `${action} of ${id} is in the log`);
  }
  await shot(page, "audit-log");

  // A form without its CSRF token is refused, even signed in.
  const res = await page.request.post(base + `review/events/${editedId}/accept`, { form: { reason: "forged" } });
  assert.equal(res.status(), 403);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
if (failed) {
  for (const f of failures) console.error(f);
  process.exit(1);
}
