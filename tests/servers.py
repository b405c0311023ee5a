"""
Real servers for tests that need them, each on a free loopback port and always stopped:
an S3-compatible object store (moto's server) and Redis.
"""

import json
import shutil
import socket
import subprocess
import time
import uuid

import pytest

S3_CREDENTIALS = {"access_key": "newsroom-test", "secret_key": "newsroom-test-secret"}
S3_REGION = "us-east-1"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """The URL of an S3-compatible server running in this process's threads."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_server):
    """A new, empty bucket: (endpoint URL, bucket name, a boto3 client)."""
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=S3_REGION,
        aws_access_key_id=S3_CREDENTIALS["access_key"],
        aws_secret_access_key=S3_CREDENTIALS["secret_key"],
    )
    name = f"newsroom-media-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    # Pictures are public, as docs/deploy.md sets the bucket up: anyone may read objects.
    client.put_bucket_policy(Bucket=name, Policy=json.dumps(public_read_policy(name)))
    return s3_server, name, client


def public_read_policy(bucket):
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def s3_storage_options(endpoint, bucket):
    """STORAGES["default"] for ``bucket``, as settings.py builds it from the environment."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": S3_REGION,
            "addressing_style": "path",
            "querystring_auth": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            **S3_CREDENTIALS,
        },
    }


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """The URL of a redis-server of our own (never the machine's shared one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    import redis

    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 15
    while True:
        try:
            redis.Redis.from_url(url, socket_timeout=1).ping()
            break
        except redis.ConnectionError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=10)
