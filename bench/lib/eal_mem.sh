# SPDX-License-Identifier: BSD-3-Clause
# EAL memory for the benchmarks: 2 MiB hugepages where they can be had (as on
# the bare metal srtpfwd is for: with many flows the tables span gigabytes,
# and 4 KiB pages cost a TLB miss on nearly every access), --no-huge
# otherwise. Both sides of a comparison use the same kind, from one call.
#
#   . bench/lib/eal_mem.sh
#   eal_mem_setup MB        # once, for the largest process; sets EAL_MEM_KIND
#   eal_mem_args MB PREFIX  # the EAL options for one process of MB MiB
#   eal_mem_restore         # in the EXIT trap: gives reserved pages back
#
# HUGE=auto (default): reserve pages if root and the kernel allows, else
# --no-huge; HUGE=1: hugepages or fail; HUGE=0: always --no-huge.

EAL_MEM_KIND=no-huge
EAL_MEM_NR_FILE=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
EAL_MEM_NR_BEFORE=

eal_mem_setup() {
	local mb=$1 want free total
	local mode=${HUGE:-auto}
	EAL_MEM_KIND=no-huge
	[ "$mode" = 0 ] && return 0
	# The pages, plus room for the EAL's own (page tables, per-lcore caches).
	want=$((mb / 2 + 128))
	if [ -w "$EAL_MEM_NR_FILE" ]; then
		total=$(cat "$EAL_MEM_NR_FILE")
		free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
		if [ "$free" -lt "$want" ]; then
			EAL_MEM_NR_BEFORE=$total
			echo $((total + want - free)) >"$EAL_MEM_NR_FILE" 2>/dev/null || true
			free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
		fi
		[ "$free" -ge "$want" ] && EAL_MEM_KIND=hugepages
	fi
	if [ "$EAL_MEM_KIND" != hugepages ]; then
		eal_mem_restore
		if [ "$mode" = 1 ]; then
			echo "eal_mem: cannot reserve $want 2 MiB hugepages (HUGE=1)" >&2
			return 1
		fi
	fi
	return 0
}

# EAL options for one process; --in-memory needs no hugetlbfs mount and
# leaves no files behind, so runs never collide.
eal_mem_args() {
	local mb=$1 prefix=$2
	if [ "$EAL_MEM_KIND" = hugepages ]; then
		echo "-m $mb --in-memory"
	else
		echo "--no-huge -m $mb --file-prefix $prefix"
	fi
}

eal_mem_restore() {
	if [ -n "$EAL_MEM_NR_BEFORE" ]; then
		echo "$EAL_MEM_NR_BEFORE" >"$EAL_MEM_NR_FILE" 2>/dev/null || true
		EAL_MEM_NR_BEFORE=
	fi
}

# One line for a results file.
eal_mem_describe() {
	if [ "$EAL_MEM_KIND" = hugepages ]; then
		echo "2 MiB hugepages (EAL -m MB --in-memory)"
	else
		echo "no hugepages (--no-huge -m MB)"
	fi
}
