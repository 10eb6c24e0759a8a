"""Sends files to a cst server over keep-alive HTTP/1.1 connections, one per worker thread, each
file streamed as the raw body of one request (never read whole into memory by this script).

    python3 bench/av_upload.py URL_PREFIX TOKEN WORKERS FILE...

URL_PREFIX is the target without the file name, e.g.
http://127.0.0.1:8080/api/v1/uploads?ente=019036&filename= ; the file's base name is appended.
Prints the number of requests whose status was not 200/201 (0 when all succeeded).
"""
import http.client
import os
import sys
import threading
import urllib.parse


def worker(prefix, token, files, failures, lock):
    url = urllib.parse.urlsplit(prefix)
    # 1 MiB reads and sends (http.client's default is 8 KiB): the client should not be what
    # limits the server.
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=600, blocksize=1 << 20)
    for path in files:
        target = url.path + "?" + url.query + urllib.parse.quote(os.path.basename(path))
        size = os.path.getsize(path)
        with open(path, "rb") as body:
            conn.request("POST", target, body=body, headers={
                "Authorization": "Bearer " + token,
                "Content-Type": "application/octet-stream",
                "Content-Length": str(size)})
            response = conn.getresponse()
            response.read()
        if response.status not in (200, 201):
            with lock:
                failures.append(response.status)
    conn.close()


def main():
    prefix, token, workers = sys.argv[1], sys.argv[2], int(sys.argv[3])
    files = sys.argv[4:]
    failures, lock = [], threading.Lock()
    threads = [threading.Thread(target=worker,
                                args=(prefix, token, files[i::workers], failures, lock))
               for i in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(failures))


if __name__ == "__main__":
    main()
