# SPDX-License-Identifier: BSD-3-Clause
"""The addresses run.sh gives the box and the test hosts, and the IMS stream's SSRC."""
BOX_A, BOX_B = "198.18.0.1", "198.19.0.1"     # the box: access, core
PEER_A, IMS = "198.18.0.2", "198.19.0.2"      # ns A (browser side), ns B (IMS side)
IMS_SSRC = 0x1D5A0001
