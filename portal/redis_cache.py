"""Django's Redis cache, keeping one Redis client per connection pool.

Django's `RedisCacheClient` builds a new `redis.Redis` for every cache call, and building
one fills a table of about 170 response handlers: on this project that was a
millisecond of CPU for every signed-in request (the session, the site frame, the groups'
shared data), more than the Redis round trips themselves. A client over a connection
pool is safe to share (redis-py's own advice), so one is kept per pool, as long as the
pool is. Everything else is Django's backend unchanged.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class RedisCache(redis.RedisCache):
    """`django.core.cache.backends.redis.RedisCache` with a client kept per pool."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
