#!/usr/bin/env python3
"""A tiny SMTP server for the mail test: accepts every message and writes it as JSON.

Usage: smtp-sink.py PORT OUTDIR. Prints "ready" once listening. Each message becomes
OUTDIR/NNNN.json with the envelope, the AUTH credentials the client sent and the raw
message. It offers AUTH PLAIN but not STARTTLS, so a client that insists on STARTTLS
must fail here (the test relies on that). python3's smtpd is gone from 3.12 and
aiosmtpd is not in Debian 12's default set, hence these few lines of asyncio.
"""
import asyncio
import base64
import json
import os
import sys


class Session:
    def __init__(self, outdir):
        self.outdir = outdir
        self.auth = None
        self.reset()

    def reset(self):
        self.mail_from = None
        self.rcpt_to = []

    def save(self, data):
        n = len([f for f in os.listdir(self.outdir) if f.endswith(".json")])
        path = os.path.join(self.outdir, "%04d.json" % (n + 1))
        with open(path + ".tmp", "w") as f:
            json.dump({"mail_from": self.mail_from, "rcpt_to": self.rcpt_to,
                       "auth": self.auth, "data": data}, f)
        os.rename(path + ".tmp", path)


def decode_plain(b64):
    parts = base64.b64decode(b64).decode("utf-8", "replace").split("\0")
    return parts[1:3] if len(parts) == 3 else None


async def handle(reader, writer, outdir):
    s = Session(outdir)

    async def reply(line):
        writer.write((line + "\r\n").encode())
        await writer.drain()

    await reply("220 sink ESMTP")
    while True:
        raw = await reader.readline()
        if not raw:
            break
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        verb = line.split(" ", 1)[0].upper()
        arg = line[len(verb):].strip()
        if verb == "EHLO":
            await reply("250-sink\r\n250-AUTH PLAIN\r\n250 8BITMIME")
        elif verb == "HELO":
            await reply("250 sink")
        elif verb == "AUTH":
            mech, _, initial = arg.partition(" ")
            if mech.upper() != "PLAIN":
                await reply("504 only PLAIN")
                continue
            if not initial:
                await reply("334 ")
                initial = (await reader.readline()).decode().strip()
            s.auth = decode_plain(initial)
            await reply("235 ok" if s.auth else "535 bad")
        elif verb == "MAIL":
            s.reset()
            s.mail_from = arg.split(":", 1)[1].strip().split(" ")[0].strip("<>")
            await reply("250 ok")
        elif verb == "RCPT":
            s.rcpt_to.append(arg.split(":", 1)[1].strip().strip("<>"))
            await reply("250 ok")
        elif verb == "DATA":
            await reply("354 go ahead")
            lines = []
            while True:
                d = (await reader.readline()).decode("utf-8", "replace")
                if d in (".\r\n", ".\n", ""):
                    break
                lines.append(d[1:] if d.startswith("..") else d)
            s.save("".join(lines))
            await reply("250 queued")
        elif verb in ("RSET", "NOOP"):
            s.reset() if verb == "RSET" else None
            await reply("250 ok")
        elif verb == "QUIT":
            await reply("221 bye")
            break
        else:
            await reply("502 not implemented")
    writer.close()


async def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    server = await asyncio.start_server(lambda r, w: handle(r, w, outdir), "127.0.0.1", port)
    print("ready", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
