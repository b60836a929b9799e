#!/usr/bin/env python3
"""Drives the web catalog of a running hub in headless Chromium, as a person would, and writes screenshots.

Usage: scripts/web-tests.py BASE_URL REVIEWER_TOKEN SCREENSHOT_FOLDER

The hub must hold (tests/MaxhubCLITests/WebCatalogBrowserTests.swift publishes them):
  digits-classifier 1.0.0 and 1.1.0, approved: an image classifier on onnxruntime with inputs, processing steps,
    outputs, claims and a README
  sentiment-analyzer 1.0.0, approved: a text classifier on pytorch
  hostile-readme 1.0.0, approved: a README with a <script>, an <img onerror> and a javascript: link
  wine-quality 1.0.0, pending, published by someone other than the reviewer
Flows: search and filter, open a model page and copy its pull command, see a hostile README as text, sign in as a
reviewer, approve the pending version in the browser, sign out and find it in the public catalog. Screenshots of the
home, a model page and the review page at 1280 and 390 pixels wide go to SCREENSHOT_FOLDER. Every page is fetched
once more to check that it is under 100 KB; the sizes are printed. Every page the browser opens is checked with axe-core
(the copy that axe-selenium-python bundles): any accessibility violation fails, printed with its rule, impact and the
elements it found.

Uses Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver), and selenium and
axe-selenium-python from PyPI.
Prints "N passed, N failed" last; exits 1 if a check failed.
"""
import os
import sys
import traceback
import urllib.parse
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

DESKTOP, PHONE = 1280, 390
PAGE_LIMIT = 100_000

base_url, reviewer_token, screenshots = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
os.makedirs(screenshots, exist_ok=True)
passed, failed = 0, 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what}")


def make_driver():
    options = Options()
    options.binary_location = os.environ.get("MAXHUB_CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={DESKTOP},900",
                     "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    service = Service(executable_path=os.environ.get("MAXHUB_CHROMEDRIVER", "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


def shoot(driver, name):
    """Full-page screenshots at desktop and phone width; the window is left at desktop width."""
    for width, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 6000))
        path = os.path.join(screenshots, f"{name}-{label}.png")
        driver.save_screenshot(path)
        if width == PHONE:
            overflow = driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            check(overflow <= 0, f"{name} fits a {PHONE}-pixel screen without scrolling sideways (overflow {overflow}px)")
    driver.set_window_size(DESKTOP, 900)


def audit(driver, page):
    """Runs axe-core on what the browser shows; a violation fails, printed with its rule, impact and elements."""
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    violations = results["violations"]
    for violation in violations:
        print(f"axe violation on {page}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            print(f"  at {' '.join(str(target) for target in node['target'])}: {summary}")
    # Rules that passed show that axe really looked at the page.
    check(len(results["passes"]) > 0 and not violations,
          f"axe finds no accessibility violation on {page} ({len(results['passes'])} rules pass, {len(violations)} violated)")


def wait_for(driver, css):
    return WebDriverWait(driver, 10).until(expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css)))


def facet_link(driver, value):
    for link in driver.find_elements(By.CSS_SELECTOR, "nav.filters li a"):
        if link.find_element(By.CSS_SELECTOR, "span").text == value:
            return link
    raise NoSuchElementException(f"no filter {value}")


def result_names(driver):
    return [link.text for link in driver.find_elements(By.CSS_SELECTOR, "ol.models h3 a")]


def fetch_size(path, cookie=None):
    request = urllib.request.Request(base_url + path)
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


def run(driver):
    # Home and search.
    driver.get(base_url + "/")
    check(driver.title.startswith("Models"), "the home page is the catalog")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=q]")
    check(label.is_displayed(), "the search box has a visible label")
    check(set(result_names(driver)) >= {"digits-classifier", "sentiment-analyzer", "hostile-readme"}, "home lists the approved models")
    check("wine-quality" not in result_names(driver), "a pending version is not in the public catalog")
    audit(driver, "/")
    shoot(driver, "home")

    # The keyboard reaches the search box: the skip link first, then the links of the bar, then the box.
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    check(driver.switch_to.active_element.text == "Skip to content", "the first Tab focuses the skip link")
    search = driver.find_element(By.ID, "q")
    search.send_keys("digit", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "q=digit" in d.current_url)
    check(result_names(driver) == ["digits-classifier"], f"searching 'digit' finds the digits classifier ({result_names(driver)})")
    audit(driver, "/?q=digit")
    shared = driver.current_url
    driver.get(shared)
    check(result_names(driver) == ["digits-classifier"], "the search's URL can be shared: opened again it finds the same")
    audit(driver, "/?q=digit, opened again")

    driver.get(base_url + "/")
    audit(driver, "/, opened again")
    task_links = {link.find_element(By.CSS_SELECTOR, "span").text: link for link in
                  driver.find_elements(By.CSS_SELECTOR, "nav.filters li a")}
    check("text-classification" in task_links, "the filters list the tasks")
    counts = {link.find_element(By.CSS_SELECTOR, "span").text: link.find_element(By.CSS_SELECTOR, ".count").text
              for link in driver.find_elements(By.CSS_SELECTOR, "nav.filters li a")}
    check(counts.get("image-classification") == "2", f"image-classification counts 2 models ({counts.get('image-classification')})")
    task_links["text-classification"].click()
    WebDriverWait(driver, 10).until(lambda d: "task=text-classification" in d.current_url)
    check(result_names(driver) == ["sentiment-analyzer"], f"filtering by task keeps the text classifier ({result_names(driver)})")
    audit(driver, "/?task=text-classification")
    facet_link(driver, "pytorch").click()
    WebDriverWait(driver, 10).until(lambda d: "framework=pytorch" in d.current_url)
    check("task=text-classification" in driver.current_url and result_names(driver) == ["sentiment-analyzer"],
          "a second filter keeps the first")
    audit(driver, "/?task=text-classification&framework=pytorch")
    driver.get(base_url + "/?license=CC-BY-4.0")
    check("sentiment-analyzer" not in result_names(driver) and "digits-classifier" in result_names(driver),
          f"filtering by license ({result_names(driver)})")
    audit(driver, "/?license=CC-BY-4.0")

    # A model page.
    driver.get(base_url + "/?q=digit")
    audit(driver, "/?q=digit, opened from the address bar")
    driver.find_element(By.LINK_TEXT, "digits-classifier").click()
    wait_for(driver, "#pull-command")
    audit(driver, "/models/digits-classifier")
    check("digits-classifier" in driver.find_element(By.TAG_NAME, "h1").text, "the model page names the model")
    check("1.1.0" in driver.find_element(By.TAG_NAME, "h1").text, "the model page shows the latest version")
    pull = driver.find_element(By.ID, "pull-command").text
    check(pull == f"maxhub pull digits-classifier@1.1.0 --url {base_url}", f"the pull command names the version ({pull})")
    page = driver.find_element(By.TAG_NAME, "main").text
    for expected in ("Handwritten digits", "resize", "normalize", "accuracy", "labels.txt", "model.onnx", "Apache-2.0", "1.0.0"):
        check(expected in page, f"the model page shows {expected!r}")
    check(len(driver.find_elements(By.CSS_SELECTOR, ".card h1, .card h2")) > 0, "the README is rendered from Markdown")
    try:
        driver.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": base_url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    except Exception as error:  # older drivers: the fallback copy still runs
        print(f"note: could not grant clipboard permissions: {error}")
    button = driver.find_element(By.CSS_SELECTOR, "button[data-copy=pull-command]")
    check(button.is_displayed(), "JavaScript shows the copy button")
    button.click()
    WebDriverWait(driver, 5).until(lambda d: button.text == "Copied")
    check(button.text == "Copied", "the copy button says it copied")
    copied = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "navigator.clipboard.readText().then(done, (e) => done('error: ' + e));")
    check(copied == pull, f"the clipboard holds the pull command ({copied!r})")
    shoot(driver, "model")
    driver.find_element(By.LINK_TEXT, "1.0.0").click()
    WebDriverWait(driver, 10).until(lambda d: "version=1.0.0" in d.current_url)
    check(driver.find_element(By.ID, "pull-command").text.startswith("maxhub pull digits-classifier@1.0.0"),
          "choosing a version changes the commands")
    audit(driver, "/models/digits-classifier?version=1.0.0")

    # A hostile README shows as text.
    driver.get(base_url + "/models/hostile-readme")
    card = wait_for(driver, ".card")
    audit(driver, "/models/hostile-readme")
    check("<script>" in card.text, "a <script> in a README shows as text")
    check("<img" in card.text, "an <img onerror> in a README shows as text")
    check(len(driver.find_elements(By.CSS_SELECTOR, "main script, .card img, [onerror]")) == 0, "no script or image element came from the README")
    hrefs = [link.get_attribute("href") or "" for link in driver.find_elements(By.CSS_SELECTOR, ".card a")]
    check(not any(href.lower().startswith("javascript") for href in hrefs), f"no javascript: link survives ({hrefs})")
    check(driver.execute_script("return window.__pwned === undefined"), "nothing from the README ran")
    for link in driver.find_elements(By.CSS_SELECTOR, ".card a"):
        link.click()
    check(driver.execute_script("return window.__pwned === undefined"), "clicking the README's links runs nothing")

    # The reviewer signs in and approves the pending version.
    driver.get(base_url + "/review")
    WebDriverWait(driver, 10).until(lambda d: "/login" in d.current_url)
    check("/login?next=" in driver.current_url, "the review queue sends an anonymous visitor to sign in")
    audit(driver, "/login?next=/review")
    token = driver.find_element(By.ID, "token")
    check(driver.find_element(By.CSS_SELECTOR, "label[for=token]").text == "Token", "the token field has a label")
    token.send_keys(reviewer_token, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("/review"))
    cookies = {cookie["name"]: cookie for cookie in driver.get_cookies()}
    session = cookies.get("maxhub_session", {})
    check(session.get("httpOnly") is True and session.get("sameSite") == "Strict", f"the session cookie is HttpOnly and SameSite=Strict ({session})")
    check(driver.execute_script("return document.cookie") == "", "scripts cannot read the session cookie")
    audit(driver, "/review")
    driver.find_element(By.PARTIAL_LINK_TEXT, "wine-quality@1.0.0").click()
    wait_for(driver, "#license-code")
    check(driver.find_element(By.ID, "license-weights").get_attribute("value") == "CC-BY-4.0", "the review form shows the declared licenses")
    audit(driver, "/review/wine-quality/1.0.0")
    shoot(driver, "review")
    review_path = urllib.parse.urlparse(driver.current_url).path
    driver.find_element(By.ID, "note").send_keys("Licenses checked against the source repository.")
    driver.find_element(By.CSS_SELECTOR, "button[value=approve]").click()
    WebDriverWait(driver, 10).until(lambda d: "reviewed=" in d.current_url)
    check("is recorded" in driver.find_element(By.CSS_SELECTOR, ".notice").text, "the queue says the review is recorded")
    check("wine-quality" not in driver.find_element(By.TAG_NAME, "main").text.split("recorded.")[-1], "the approved version left the queue")
    audit(driver, "/review?reviewed=wine-quality@1.0.0")

    # Page sizes, for the reviewer too.
    cookie = f"maxhub_session={reviewer_token}"
    sizes = {
        "/": fetch_size("/"),
        "/?q=digit&task=image-classification": fetch_size("/?q=digit&task=image-classification"),
        "/models/digits-classifier": fetch_size("/models/digits-classifier"),
        "/models/hostile-readme": fetch_size("/models/hostile-readme"),
        "/docs": fetch_size("/docs"),
        "/login": fetch_size("/login"),
        "/review": fetch_size("/review", cookie),
        review_path: fetch_size(review_path, cookie),
    }
    for path, size in sizes.items():
        print(f"page size: {path} {size} bytes")
        check(size < PAGE_LIMIT, f"{path} is under 100 KB ({size} bytes)")

    driver.find_element(By.CSS_SELECTOR, "header form button").click()
    WebDriverWait(driver, 10).until(lambda d: "maxhub_session" not in {c["name"] for c in d.get_cookies()})
    check(True, "signing out removes the session cookie")

    # The approved version is in the public catalog.
    driver.get(base_url + "/?q=wine")
    check(result_names(driver) == ["wine-quality"], f"the approved version is in the public catalog ({result_names(driver)})")
    audit(driver, "/?q=wine")
    driver.find_element(By.LINK_TEXT, "wine-quality").click()
    wait_for(driver, "#pull-command")
    check("approved" in driver.find_element(By.TAG_NAME, "h1").text, "its page says approved")
    check("Reviewed by" in driver.find_element(By.TAG_NAME, "main").text, "its page names the review")
    audit(driver, "/models/wine-quality")

    driver.get(base_url + "/docs")
    check("/api/v1/models" in driver.find_element(By.TAG_NAME, "main").text, "the API page lists the routes")
    audit(driver, "/docs")


def main():
    driver = make_driver()
    try:
        run(driver)
    except Exception:  # a step that could not run at all
        traceback.print_exc()
        try:
            driver.save_screenshot(os.path.join(screenshots, "failure.png"))
            print(f"at {driver.current_url}")
        except Exception:
            pass
        check(False, "the flows ran to the end")
    finally:
        driver.quit()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
