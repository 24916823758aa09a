#!/usr/bin/env bash
# Run a script as root on a real distro kernel: Debian's linux-image-amd64
# (every network module) booted under QEMU (TCG, no KVM) with this machine's
# root file system shared read-only, so host binaries (ip, target/debug/nlq)
# run unchanged inside.
#
# Usage:
#   tests/vm/run.sh [-q] [-o OUTDIR] SCRIPT [ARGS...]
#   tests/vm/run.sh --setup
#
# SCRIPT (executable, not under /run) runs as root in the VM,
# chrooted into the host root with:
#   - the host root read-only; fresh tmpfs on /run (with /run/netns, so
#     `ip netns add` works) and /dev/shm; /tmp the host's under a writable
#     tmpfs overlay; proc, sys, dev mounted;
#   - OUTDIR writable at the same path (default: a fresh /tmp/nlq-vm.XXXXXX,
#     printed), also in $OUT; every NLQ* variable and RUST_BACKTRACE passed
#     through; the same working directory when it is visible;
#   - no network device: nothing leaves the VM.
# Exit status: SCRIPT's own; 125 when the rig fails (missing tools, no boot,
# timeout), with the reason on stderr. The serial console (kernel messages,
# SCRIPT's output) streams to stdout (-q: not) and is kept in
# OUTDIR/console.log. The modules loaded are listed in tests/vm/modules.
#
# --setup installs what is missing (qemu-system-x86, busybox-static, kmod,
# cpio with apt-get; the kernel .deb with apt-get download + dpkg -x, never
# installed on the host), then builds the initramfs (busybox, tests/vm/init,
# the modules), caching all of it in /var/cache/nlq-vm (NLQ_VM_CACHE); it is
# rebuilt when the kernel package or this rig's files change. A run does the
# same first when needed.
#
# Environment: NLQ_VM_TIMEOUT (seconds before QEMU is killed, default 900),
# NLQ_VM_CACHE, NLQ_VM_KERNEL (kernel package, default: what
# linux-image-amd64 depends on).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${NLQ_VM_CACHE:-/var/cache/nlq-vm}
limit=${NLQ_VM_TIMEOUT:-900}
rig_failed=125

die() {
    echo "tests/vm/run.sh: $*" >&2
    exit "$rig_failed"
}
say() { echo "tests/vm/run.sh: $*" >&2; }
# Nothing fails silently. (Pipelines here read all of their input: under
# pipefail a `| head` would fail them with SIGPIPE now and then.)
set -E
trap 'die "line $LINENO failed (status $?): $BASH_COMMAND"' ERR

# apt-get install PACKAGES, updating the package lists once if that fails.
apt_install() {
    [ "$(id -u)" = 0 ] || die "needs root to install: $*"
    say "installing $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
        { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } ||
        die "apt-get install $* failed"
}

install_tools() {
    local need=()
    command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
    # The initramfs needs a static busybox; the dynamic one would not run.
    dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed' ||
        need+=(busybox-static)
    command -v modprobe >/dev/null || [ -x /sbin/modprobe ] || need+=(kmod)
    command -v cpio >/dev/null || need+=(cpio)
    if [ "${#need[@]}" -gt 0 ]; then apt_install "${need[@]}"; fi
    export PATH=$PATH:/sbin:/usr/sbin
}

# The kernel package linux-image-amd64 points to (linux-image-6.1.0-NN-amd64).
kernel_package() {
    if [ -n "${NLQ_VM_KERNEL:-}" ]; then
        echo "$NLQ_VM_KERNEL"
        return
    fi
    local pkg
    pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | sed -n 1p)
    if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
        apt-get update -qq >/dev/null 2>&1 || true
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
            sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | sed -n 1p)
    fi
    [ -n "$pkg" ] || die "apt knows no linux-image-amd64 (is this Debian? set NLQ_VM_KERNEL)"
    echo "$pkg"
}

# A short hash of this rig's own files: the initramfs is rebuilt when it changes.
rig_hash() {
    { cat "$here/run.sh" "$here/init" "$here/modules"; busybox 2>/dev/null | sed -n 1p; } |
        sha256sum | cut -c1-12
}

# Copy module FILE into the initramfs at $1, uncompressed.
copy_module() {
    local file=$1 dest=$2
    case $file in
    *.ko.xz) xz -dc "$file" >"$dest" ;;
    *.ko.zst) zstd -qdc "$file" >"$dest" ;;
    *.ko.gz) gzip -dc "$file" >"$dest" ;;
    *) cp "$file" "$dest" ;;
    esac
}

# Resolve tests/vm/modules against the kernel tree at $1 (version $2) into
# $3/modules.load (insmod order, dependencies first) and $3/modules.missing.
resolve_modules() {
    local tree=$1 kver=$2 root=$3 name params deps file base last
    local -A seen=()
    : >"$root/modules.load"
    : >"$root/modules.missing"
    depmod -b "$tree" "$kver" || die "depmod failed"
    while read -r name params; do
        case $name in '' | '#'*) continue ;; esac
        if ! deps=$(modprobe -d "$tree" -S "$kver" --show-depends "$name" 2>/dev/null); then
            echo "$name" >>"$root/modules.missing"
            continue
        fi
        last=$(printf '%s\n' "$deps" | awk '$1 == "insmod" { f = $2 } END { print f }')
        while read -r _ file _; do
            base=$(basename "$file")
            base=${base%.xz}; base=${base%.zst}; base=${base%.gz}
            [ -z "${seen[$base]:-}" ] || continue
            seen[$base]=1
            copy_module "$file" "$root/lib/modules/$base"
            if [ "$file" = "$last" ]; then echo "$base $params"; else echo "$base"; fi
        done < <(printf '%s\n' "$deps" | awk '$1 == "insmod"') >>"$root/modules.load"
    done <"$here/modules"
}

# Build $1/initrd.gz and $1/vmlinuz from the kernel package .deb in $1.
build_image() {
    local dir=$1 kver=$2 tmp
    rm -rf "$cache"/build.* # left by a build that failed
    tmp=$(mktemp -d "$cache/build.XXXXXX")
    say "building the initramfs for $kver"
    dpkg -x "$dir/kernel.deb" "$tmp/tree" || die "dpkg -x $dir/kernel.deb failed"
    cp "$tmp/tree/boot/vmlinuz-$kver" "$dir/vmlinuz.new" || die "no vmlinuz-$kver in the package"
    mkdir -p "$tmp/root/bin" "$tmp/root/lib/modules" "$tmp/root/proc" "$tmp/root/sys" "$tmp/root/dev"
    cp "$(command -v busybox)" "$tmp/root/bin/busybox"
    cp "$here/init" "$tmp/root/init"
    chmod 755 "$tmp/root/init"
    resolve_modules "$tmp/tree" "$kver" "$tmp/root"
    (cd "$tmp/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$dir/initrd.new" ||
        die "cpio failed"
    mv "$dir/vmlinuz.new" "$dir/vmlinuz"
    mv "$dir/initrd.new" "$dir/initrd.gz"
    rm -rf "$tmp"
}

# Install and build what is missing; sets $image (the directory holding
# vmlinuz and initrd.gz).
setup() {
    install_tools
    local pkg kver hash
    pkg=$(kernel_package)
    kver=${pkg#linux-image-}
    hash=$(rig_hash)
    mkdir -p "$cache" || die "cannot create $cache"
    image=$cache/$pkg
    exec 9>"$cache/lock"
    flock 9
    if [ ! -s "$image/kernel.deb" ]; then
        [ "$(id -u)" = 0 ] || die "needs root to download $pkg into $cache"
        say "downloading $pkg"
        mkdir -p "$image"
        (cd "$cache" && apt-get download -qq "$pkg" 2>/dev/null) || die "apt-get download $pkg failed"
        mv "$cache/${pkg}"_*.deb "$image/kernel.deb"
    fi
    if [ "$(cat "$image/rig" 2>/dev/null)" != "$hash" ] || [ ! -s "$image/initrd.gz" ]; then
        build_image "$image" "$kver"
        echo "$hash" >"$image/rig"
    fi
    flock -u 9
}

# Where the script's results go: -o OUTDIR or a fresh temporary directory.
prepare_out() {
    if [ -n "$out" ]; then
        mkdir -p "$out" || die "cannot create $out"
        out=$(realpath "$out")
    else
        out=$(mktemp -d /tmp/nlq-vm.XXXXXX)
        say "results in $out"
    fi
    # The path travels on the kernel command line: keep it to plain characters.
    [[ $out =~ ^/[A-Za-z0-9._/+-]+$ ]] || die "OUTDIR must be a plain path (no spaces): $out"
    rm -rf "$out/.nlq-vm"
    mkdir -p "$out/.nlq-vm"
}

# The job init runs in the chroot: environment, working directory, command.
write_job() {
    local v
    {
        echo 'export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
        echo 'export HOME=/root TERM=dumb LANG=C.UTF-8'
        printf 'export OUT=%q\n' "$out"
        for v in $(compgen -e); do
            case $v in NLQ* | RUST_BACKTRACE) printf 'export %s=%q\n' "$v" "${!v}" ;; esac
        done
        printf 'cd %q 2>/dev/null || cd /\n' "$PWD"
        printf 'exec'
        printf ' %q' "$@"
        echo
    } >"$out/.nlq-vm/job"
}

boot() {
    local qemu_rc
    set +e
    # nice: emulating a CPU takes all it gets, and tests that run beside the
    # VM (cargo test runs them in parallel) wait on timers of their own.
    timeout -k 10 "$limit" nice -n 15 qemu-system-x86_64 \
        -m 2048 -smp 2 -accel tcg,thread=multi -cpu max -nographic -no-reboot -nic none \
        -kernel "$image/vmlinuz" -initrd "$image/initrd.gz" \
        -append "console=ttyS0 quiet loglevel=3 panic=-1 nlqvm_out=$out" \
        -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
        -virtfs "local,path=$out,mount_tag=results,security_model=none,multidevs=remap" \
        </dev/null 2>"$out/.nlq-vm/qemu.err" | tr -d '\r' | sed -u $'s/\e[[0-9;?]*[A-Za-z]//g; s/\ec//g' | if [ "$quiet" ]; then
        cat >"$out/console.log"
    else
        tee "$out/console.log"
    fi
    qemu_rc=${PIPESTATUS[0]}
    set -e
    if [ -s "$out/.nlq-vm/status" ]; then
        status=$(cat "$out/.nlq-vm/status")
        rm -rf "$out/.nlq-vm"
        return
    fi
    [ "$qemu_rc" != 124 ] || say "the VM timed out after $limit s (NLQ_VM_TIMEOUT)"
    say "qemu exited with status $qemu_rc; $(cat "$out/.nlq-vm/qemu.err")"
    say "last console lines ($out/console.log):"
    tail -n 20 "$out/console.log" >&2 || true
    die "the VM reported no exit status for $1"
}

main() {
    out='' quiet=''
    while [ $# -gt 0 ]; do
        case $1 in
        --setup)
            setup
            say "ready: $image"
            exit 0
            ;;
        -o) out=${2:?-o needs a directory}; shift 2 ;;
        -q) quiet=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        --) shift; break ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) break ;;
        esac
    done
    [ $# -gt 0 ] || die "usage: tests/vm/run.sh [-q] [-o OUTDIR] SCRIPT [ARGS...] | --setup"
    local script
    script=$(realpath -e "$1" 2>/dev/null) || die "no such script: $1"
    [ -x "$script" ] || die "not executable: $script"
    case $script in
    /run/*) die "SCRIPT must not be under /run (the VM mounts a fresh tmpfs there)" ;;
    esac
    shift
    setup
    prepare_out
    write_job "$script" "$@"
    boot "$script"
    exit "$status"
}

main "$@"
