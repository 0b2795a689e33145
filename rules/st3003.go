package rules

import (
	"github.com/strata-dev/strata/internal/lazyre"
	"regexp"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// ST3003 reports package signature checks switched off.
var ST3003 = register(&lint.Rule{
	Code:     "ST3003",
	Name:     "package-signature-check-disabled",
	Summary:  "Do not install packages without checking their signatures",
	Severity: lint.SeverityError,
	Origin:   lint.OriginStrata,
	Status:   lint.StatusStable,
	Since:    "0.1.0",
	Docs: lint.Docs{
		What: "Reports package-manager options and settings that install packages whose signature is missing or " +
			"not checked:\n\n" +
			"- `apt-get`/`apt`/`aptitude` `--allow-unauthenticated`, `--allow-insecure-repositories`, " +
			"`--allow-downgrade-to-insecure-repositories` and `--force-yes` (except with `remove`, `purge` and other " +
			"verbs that install nothing); the settings " +
			"`APT::Get::AllowUnauthenticated`, `Acquire::AllowInsecureRepositories` and " +
			"`Acquire::AllowDowngradeToInsecureRepositories` set to true (`-o` or apt.conf); `[trusted=yes]`, " +
			"`[allow-insecure=yes]` and `[allow-weak=yes]` in a sources line for a remote repository;\n" +
			"- `apk --allow-untrusted` (with `add`, `fix` or `upgrade`);\n" +
			"- `yum`/`dnf`/`microdnf`/`tdnf` `--nogpgcheck`, `zypper --no-gpg-checks`, `gpgcheck=0` in a " +
			"repository file or `--setopt`;\n" +
			"- `rpm --nosignature` and `--nodigest`.\n\n" +
			"Installing only local package files (`apk add --allow-untrusted /tmp/pkgs/*.apk`, `rpm -i " +
			"--nosignature ./x.rpm`) is not reported when the same RUN downloads nothing: such files were built " +
			"by an earlier stage or come from the build context, and there is no signature to check. Repositories " +
			"on `file:` and `copy:` URIs are not reported either. `ONBUILD RUN` and `COPY` heredocs are checked.",
		Why: "Signatures are what make a package mirror, proxy or CDN untrusted-but-harmless: without them, " +
			"anyone who can tamper with the repository or the connection can ship code that the package manager " +
			"then runs as root in your image (install scripts included). `--force-yes` also allows downgrades to " +
			"old, vulnerable versions.",
		Fix: "Remove the option and import the repository's key instead:\n\n```dockerfile\n" +
			"RUN curl -fsSL https://repo.example.com/key.gpg | gpg --dearmor -o /usr/share/keyrings/example.gpg \\\n" +
			" && echo 'deb [signed-by=/usr/share/keyrings/example.gpg] https://repo.example.com stable main' \\\n" +
			"    > /etc/apt/sources.list.d/example.list\n```\n\n" +
			"For `apk`, put the repository's public key in `/etc/apk/keys/`; for `rpm`, `rpm --import` it. For a " +
			"single downloaded package, check its published checksum (`sha256sum -c`) before installing it.",
		Peers: "Checkov: CKV2_DOCKER_7 (apk `--allow-untrusted`), CKV2_DOCKER_8 (apt-get " +
			"`--allow-unauthenticated`), CKV2_DOCKER_9 (yum/dnf `--nogpgcheck`), CKV2_DOCKER_10 (rpm " +
			"`--nosignature`/`--nodigest`), CKV2_DOCKER_11 (apt-get `--force-yes`). Trivy and dockle: none " +
			"(dockle's CIS-DI-0011, verified packages, is not implemented). No hadolint or BuildKit rule covers it.",
	},
	Examples: []lint.Example{
		{Title: "Unauthenticated apt and apk", Dockerfile: "FROM debian:12\n" +
			"RUN apt-get update && apt-get install -y --allow-unauthenticated example-tool\n" +
			"FROM alpine:3.20\nRUN wget -q https://example.com/glibc.apk && apk add --allow-untrusted glibc.apk\n",
			Want: []string{"2:42", "4:54"}},
		{Title: "gpgcheck off in a repository file", Dockerfile: "FROM rockylinux:9\n" +
			"RUN printf '[tools]\\nbaseurl=https://repo.example.com/el9\\ngpgcheck=0\\n' > /etc/yum.repos.d/tools.repo\n",
			Want: []string{"2:60"}},
		{Title: "A signed repository", Dockerfile: "FROM debian:12\n" +
			"RUN echo 'deb [signed-by=/usr/share/keyrings/example.gpg] https://repo.example.com stable main' > /etc/apt/sources.list.d/example.list\n"},
		{Title: "Packages built by an earlier stage", Dockerfile: "FROM alpine:3.20 AS build\nRUN abuild -r\n" +
			"FROM alpine:3.20\nCOPY --from=build /home/builder/packages /tmp/packages\n" +
			"RUN apk add --no-cache --allow-untrusted /tmp/packages/x86_64/*.apk\n"},
	},
	Check: func(p *lint.Pass) {
		secEach(p.File, func(ins *lint.Instruction) {
			var done []lint.Range
			report := func(r lint.Range, msg string) {
				if secOverlaps(r, done) {
					return
				}
				done = append(done, r)
				p.Report(lint.Finding{At: ins, Range: r, Message: msg, Help: st3003Help})
			}
			if s := ins.Script(); s != nil && s.Err == nil {
				downloads := st3004Downloads(s)
				for _, c := range s.Commands {
					if w, msg := st3003Command(c, downloads); msg != "" {
						report(w.Range(), msg)
					}
				}
			}
			secTexts(ins, func(text string, at secAt) {
				for _, t := range st3003Texts {
					if !strings.Contains(text, t.lit) {
						continue
					}
					for _, m := range t.re().FindAllStringSubmatchIndex(text, -1) {
						if t.local != nil && t.local(text, m[4:6]) {
							continue
						}
						if len(m) > 3 && m[2] >= 0 {
							m = m[2:] // the finding is the first group
						}
						report(at.Range(text, m[0], m[1]), t.msg)
					}
				}
			})
		})
	},
})

const st3003Help = "remove it and trust the repository's signing key instead (signed-by keyring for apt, " +
	"/etc/apk/keys for apk, rpm --import for yum/dnf/zypper)"

// st3003Command checks one command's options.
func st3003Command(c *lint.Command, downloads bool) (lint.Word, string) {
	name, args := secUnwrap(c)
	switch name {
	case "apt-get", "apt", "aptitude":
		w, ok := secFlag(args, []string{"force-yes", "allow-unauthenticated", "allow-insecure-repositories", "allow-downgrade-to-insecure-repositories"}, "")
		if !ok {
			return lint.Word{}, ""
		}
		switch verb, _ := secVerb(args, "-o", "-t", "-c", "--option", "--target-release", "--config-file"); verb.Value {
		case "remove", "purge", "autoremove", "autopurge", "clean", "autoclean", "markauto", "hold", "unhold":
			return lint.Word{}, "" // nothing is installed
		}
		if w.Value == "--force-yes" {
			return w, name + " --force-yes installs packages that fail authentication (and allows downgrades)"
		}
		return w, name + " " + w.Value + " installs packages whose signature is missing or wrong"
	case "apk":
		w, ok := secFlag(args, []string{"allow-untrusted"}, "")
		if !ok {
			return lint.Word{}, ""
		}
		verb, _ := secVerb(args, "-X", "--repository", "-t", "--virtual", "-p", "--root", "--arch", "--keys-dir", "--repositories-file", "--cache-dir")
		if (verb.Value == "add" || verb.Value == "fix" || verb.Value == "upgrade") && !st3003LocalOnly(args, ".apk", downloads) {
			return w, "apk --allow-untrusted installs packages without checking their signature"
		}
	case "yum", "dnf", "microdnf", "tdnf", "yum-config-manager", "dnf-3":
		if w, ok := secFlag(args, []string{"nogpgcheck"}, ""); ok && !st3003LocalOnly(args, ".rpm", downloads) {
			return w, name + " --nogpgcheck installs packages without checking their signature"
		}
	case "zypper":
		if w, ok := secFlag(args, []string{"no-gpg-checks", "no-gpg-check"}, ""); ok && !st3003LocalOnly(args, ".rpm", downloads) {
			return w, "zypper " + w.Value + " installs packages without checking their signature"
		}
	case "rpm":
		if w, ok := secFlag(args, []string{"nosignature", "nodigest"}, ""); ok && !st3003LocalOnly(args, ".rpm", downloads) {
			return w, "rpm " + w.Value + " installs packages without checking their signature or digest"
		}
	}
	return lint.Word{}, ""
}

// st3003LocalOnly reports whether every package argument is a local file
// with the extension and nothing was downloaded by the RUN.
func st3003LocalOnly(args []lint.Word, ext string, downloads bool) bool {
	if downloads {
		return false
	}
	n := 0
	for _, a := range args {
		v := a.Value
		if strings.HasPrefix(v, "-") {
			continue
		}
		if strings.HasSuffix(v, ext) {
			if strings.Contains(v, "://") {
				return false
			}
			n++
		}
	}
	return n > 0
}

// st3003Texts are settings written to configuration files; lit must appear
// in the text for the expression to be tried.
var st3003Texts = []struct {
	lit   string
	re    func() *regexp.Regexp
	msg   string
	local func(text string, m []int) bool
}{
	{lit: "gpgcheck", re: lazyre.New(`(?i)(?:^|[^a-z0-9_]|\\n)(gpgcheck\s*=\s*["']?(?:0|false|no)\b)`),
		msg: "gpgcheck=0 makes yum/dnf/zypper install packages without checking their signature"},
	{lit: "nauthenticated", re: lazyre.New(`(?i)\bAllowUnauthenticated["']?\s*=?\s*["']?(?:true|1|yes)\b`),
		msg: "APT::Get::AllowUnauthenticated makes apt install packages whose signature is missing or wrong"},
	{lit: "nsecureRepositories", re: lazyre.New(`(?i)\bAllow(?:DowngradeTo)?InsecureRepositories["']?\s*=?\s*["']?(?:true|1|yes)\b`),
		msg: "AllowInsecureRepositories makes apt use repositories without a valid signature"},
	{lit: "=yes", re: lazyre.New(`(\[[^\]\n]*\b(?:trusted|allow-insecure|allow-weak)=yes\b[^\]\n]*\])\s*(\S*)`),
		msg: "this apt sources entry trusts the repository without checking its signature",
		local: func(text string, m []int) bool {
			uri := text[m[0]:m[1]]
			return strings.HasPrefix(uri, "file:") || strings.HasPrefix(uri, "copy:")
		}},
}
