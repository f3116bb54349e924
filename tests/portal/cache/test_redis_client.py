"""The Redis cache keeps one client per connection pool (portal.redis_cache): Django's
own builds a client, and its table of response handlers, on every call."""

from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient

from portal.redis_cache import RedisCache

# Nothing is sent: a client connects only when it runs a command.
SERVER = "redis://127.0.0.1:1/0"


def test_every_call_gets_the_same_client_over_the_same_pool():
    client = RedisCache(SERVER, {})._cache

    first, second = client.get_client("a"), client.get_client("b", write=True)

    assert first is second
    assert first.connection_pool is client._get_connection_pool(write=True)


def test_it_is_djangos_client_otherwise():
    assert isinstance(RedisCache(SERVER, {})._cache, DjangoRedisCacheClient)


def test_each_server_has_its_own_client():
    client = RedisCache("redis://127.0.0.1:1/0,redis://127.0.0.1:2/0", {})._cache

    writer, reader = client.get_client(write=True), client.get_client()

    assert writer is not reader
    assert writer.connection_pool.connection_kwargs["port"] == 1
    assert reader.connection_pool.connection_kwargs["port"] == 2
