# Webc.BootSafe: `make test` and `make demo` do all set-up on a fresh Debian 12 machine (as root).
SHELL := /bin/bash
.DEFAULT_GOAL := build

CACHE      ?= $(CURDIR)/.cache
RESULTS    ?= $(CURDIR)/TestResults
CONFIG     ?= Release
DOTNET     ?= dotnet
# OS packages the specs, the lab and the demo use. Installed only when missing (idempotent).
APT_PACKAGES := git extlinux syslinux-common mtools e2fsprogs fdisk util-linux qemu-system-x86 \
                busybox-static cpio fuse3 libfuse3-dev gcc gnupg openssh-client xz-utils \
                dosfstools kmod initramfs-tools-core nginx-light fcgiwrap \
                dpkg-dev binutils lintian mmdebstrap systemd systemd-container pkg-config
export BOOTSAFE_CACHE := $(CACHE)

.PHONY: deps kernel restore build test test-fast demo demo-simulated demo-kiosk publish deb clean bench

deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	else echo "OS packages present"; fi
	@$(MAKE) --no-print-directory kernel

# Debian's cloud kernel (virtio built in) for the QEMU specs, unpacked into the cache, never
# installed on the host.
kernel:
	@bash lab/fetch-kernel.sh "$(CACHE)/kernel"

restore:
	$(DOTNET) restore Webc.BootSafe.sln

build: restore
	$(DOTNET) build Webc.BootSafe.sln -c $(CONFIG) --no-restore

test: deps build publish
	rm -rf "$(RESULTS)"
	CI=$${CI:-true} $(DOTNET) test Specs/Specs.csproj -c $(CONFIG) --no-build \
	  --logger "trx;LogFileName=specs.trx" --logger "console;verbosity=normal" \
	  --results-directory "$(RESULTS)"

# The fast tier: pure and in-memory specs and real git/ssh-keygen/gpg on temp repos; no root, apt,
# kernel, publish, loop devices, FUSE or QEMU (those specs carry Tier=Host or Tier=Lab). BOOTSAFE_FAST=1
# lets the heaviest property check fewer cases; `make test` keeps the full counts and runs every tier.
test-fast: build
	BOOTSAFE_FAST=1 $(DOTNET) test Specs/Specs.csproj -c $(CONFIG) --no-build \
	  --filter "Tier!=Host&Tier!=Lab" --logger "console;verbosity=normal"

# The main job, end to end: first the story on the simulated bootloader (a minute, every decision
# explained), then on real QEMU boots of a kiosk disk (S1 confirmed update, S2 automatic rollback).
demo: deps build publish
	bash lab/demo.sh
	bash lab/demo-kiosk.sh

# Only the simulated story (no root needed), or only the real boots.
demo-simulated: build
	bash lab/demo.sh

demo-kiosk: deps build publish
	bash lab/demo-kiosk.sh

# The NativeAOT binaries the initramfs carries (webc-bootsafe for git-fs, webc-bootsafe-select for the
# boot's select); the boot-path specs run them, so `test` builds them first.
publish: restore
	$(DOTNET) publish Cli/Cli.csproj -c Release -r linux-x64 -p:PublishAot=true -o out/aot
	$(DOTNET) publish BootSelect/BootSelect.csproj -c Release -r linux-x64 -p:PublishAot=true -o out/aot

# The Debian package (webc-bootsafe_<version>_amd64.deb in out/; the version is dist/debian/changelog's):
# the AOT build, dist/ and a man page and bash completion generated from --help. Needs dpkg-dev.
deb: publish
	sh dist/debian/build-deb out/aot out

bench: deps build publish
	bash bench/run.sh

clean:
	rm -rf */bin */obj "$(RESULTS)" out
