#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Headless Chromium as a WebRTC peer, run inside a network namespace (ip netns
exec): serves chrome_page.html on http://127.0.0.1:PORT (a secure context),
opens it through Selenium (/usr/bin/chromedriver, /usr/bin/chromium) and
answers peer_link commands:
  offer           -> {"sdp": the page's offer (audio), after gathering}
  offer video=true -> the same with the fake camera's video track besides the audio
  answer sdp=S    -> {}  (setRemoteDescription)
  report          -> {"report": states, getStats() RTP/transport/pair entries}
usage: chrome_peer.py WORKDIR
"""
import http.server
import json
import os
import sys
import threading

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_link import serve  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FLAGS = [
    "--headless=new", "--no-sandbox",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    # nothing but the call on the wire: no updates, sync, metrics, DNS prefetch
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--no-first-run", "--disable-extensions", "--disable-gpu",
    "--disable-dev-shm-usage", "--mute-audio",
]


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(HERE, "chrome_page.html"), "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write("http: " + fmt % args + "\n")


def main():
    work = sys.argv[1]
    httpd = http.server.HTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for f in FLAGS + ["--user-data-dir=" + os.path.join(work, "chrome-profile")]:
        opts.add_argument(f)
    service = Service("/usr/bin/chromedriver", log_path=os.path.join(work, "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    try:
        driver.set_script_timeout(20)
        driver.get("http://127.0.0.1:%d/" % httpd.server_address[1])
        sys.stderr.write("chromium %s up\n" % driver.capabilities.get("browserVersion"))

        def js(fn, *args):
            res = driver.execute_async_script(
                "run(%s, arguments[0], arguments[arguments.length - 1]);" % fn, list(args))
            if isinstance(res, str) and res.startswith("ERROR "):
                raise RuntimeError(res)
            return res

        serve({
            "offer": lambda video=False: {"sdp": js("makeOffer", True) if video
                                          else js("makeOffer")},
            "answer": lambda sdp: js("applyAnswer", sdp) and {},
            "report": lambda: {"report": json.loads(js("report"))},
        })
    finally:
        driver.quit()
        httpd.shutdown()


if __name__ == "__main__":
    main()
