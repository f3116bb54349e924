def test_guidance_page_renders(client, guidance_page):
    response = client.get(guidance_page.url)
    assert response.status_code == 200, response.content[:2000]
    html = response.content.decode()
    assert "What can you do?" in html
