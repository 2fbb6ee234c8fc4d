def test_every_role_reaches_its_start_page(network, client):
    from tests.factories import PASSWORD
    for username in ["nurse.nc", "supervisor.nc", "ta.hub", "titlev.state", "provider.nc",
                     "admin.ea"]:
        client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        client.post("/accounts/logout/")
