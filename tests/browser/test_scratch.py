

def test_explore(live_server, page):
    page.goto(live_server.url + "/accounts/signup/")
    print(page.locator("main").inner_html())
    page.goto(live_server.url + "/accounts/login/")
    print(page.locator("main").inner_html())
