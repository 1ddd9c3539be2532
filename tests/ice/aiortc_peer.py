#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
aiortc (python3-aiortc 1.4) as a WebRTC peer with one audio track (20 ms
frames of silence, opus), run inside a network namespace (ip netns exec).
peer_link commands:
  offer                 -> {"sdp"}: createOffer + setLocalDescription (gathered)
  remote type=T sdp=S   -> {}: setRemoteDescription
  create_answer         -> {"sdp"}: createAnswer (its credentials, no candidates yet)
  set_local             -> {"sdp"}: setLocalDescription(that answer): gathers, starts ICE
  report                -> {"report"}: states, nominated pair, RTP stats, frames received
usage: aiortc_peer.py
"""
import asyncio
import dataclasses
import json
import os
import sys

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import AudioStreamTrack, MediaStreamError

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peer_link import reply  # noqa: E402


class AudioPeer:
    def __init__(self):
        self.pc = RTCPeerConnection()
        self.pc.addTrack(AudioStreamTrack())
        self.answer = None
        self.frames = 0
        self.tasks = []
        self.pc.on("track", self.on_track)

    def on_track(self, track):
        self.tasks.append(asyncio.ensure_future(self.consume(track)))

    async def consume(self, track):
        try:
            while True:
                await track.recv()
                self.frames += 1
        except MediaStreamError:
            pass

    async def offer(self):
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return {"sdp": self.pc.localDescription.sdp}

    async def remote(self, type, sdp):
        await self.pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type=type))
        return {}

    async def create_answer(self):
        self.answer = await self.pc.createAnswer()
        return {"sdp": self.answer.sdp}

    async def set_local(self):
        await self.pc.setLocalDescription(self.answer)
        return {"sdp": self.pc.localDescription.sdp}

    async def report(self):
        dtls = self.pc.getTransceivers()[0].sender.transport
        conn = dtls.transport._connection
        pair = conn._nominated.get(1)
        stats = []
        for s in (await self.pc.getStats()).values():
            d = dataclasses.asdict(s)
            d["timestamp"] = str(d["timestamp"])
            stats.append(d)
        return {"report": {
            "ice": self.pc.iceConnectionState, "conn": self.pc.connectionState,
            "dtls": dtls.state, "frames": self.frames, "stats": stats,
            "nominated": list(pair.remote_addr) if pair else None,
            "local": list(pair.local_addr) if pair else None,
        }}


async def main():
    peer = AudioPeer()
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        req = json.loads(line)
        cmd = req.pop("cmd")
        if cmd == "quit":
            break
        try:
            reply(**await getattr(peer, cmd)(**req))
        except Exception as e:  # the test decides what a failed command means
            reply(ok=False, error="%s: %s" % (type(e).__name__, e))
    for t in peer.tasks:
        t.cancel()
    await asyncio.wait_for(peer.pc.close(), 5)
    reply()


if __name__ == "__main__":
    asyncio.run(main())
