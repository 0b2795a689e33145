package rules

import (
	"strings"

	"github.com/strata-dev/strata/lint"
)

// Package installs and toolchains, for ST1008 and ST1009.

// toolchainImage names the build toolchain a base image is ("go", "rust",
// "maven", "gradle", "jdk"), or "".
func toolchainImage(base string) string {
	ref := parseImageRef(strings.ToLower(base))
	name := ref.Name[strings.LastIndexByte(ref.Name, '/')+1:]
	switch name {
	case "golang":
		return "go"
	case "rust":
		return "rust"
	case "maven":
		return "maven"
	case "gradle":
		return "gradle"
	case "openjdk", "eclipse-temurin", "sapmachine", "ibm-semeru-runtimes":
		if strings.Contains(ref.Tag, "jdk") {
			return "jdk"
		}
	}
	return ""
}

// toolchainBuild reports whether a command builds with the toolchain of an
// image family.
func toolchainBuild(family string, c *lint.Command) bool {
	switch family {
	case "go":
		return subcommand("go", "build", "install")(c)
	case "rust":
		return subcommand("cargo", "build", "install")(c)
	case "maven":
		return packageCaches["maven"].Fills(c)
	case "gradle":
		return packageCaches["gradle"].Fills(c)
	case "jdk":
		return c.Is("javac") || packageCaches["maven"].Fills(c) || packageCaches["gradle"].Fills(c)
	}
	return false
}

// singleStageToolchain returns the toolchain family of a single-stage
// build whose only stage is built FROM a toolchain image and uses it to
// build, and the RUN command that does.
func singleStageToolchain(f *lint.File) (family string, build *lint.Command) {
	if len(f.Stages) != 1 {
		return "", nil
	}
	s := f.Stages[0]
	family = toolchainImage(s.Base)
	if family == "" {
		return "", nil
	}
	for _, ins := range s.Instructions {
		if sc := ins.Script(); sc != nil && sc.Err == nil {
			for _, c := range sc.Commands {
				if toolchainBuild(family, c) {
					return family, c
				}
			}
		}
	}
	return "", nil
}

// installed is a package install command and the packages it names, with
// variables from the RUN's own assignments and the stage's ARG and ENV
// expanded.
type installed struct {
	cmd      *lint.Command
	manager  string // apt, apk, rpm
	packages []pkgWord
}

type pkgWord struct {
	name string    // without a version
	word lint.Word // where it is written
}

// packageInstall reads a package install command.
func packageInstall(c *lint.Command, s *lint.Script, env *shellEnv) (installed, bool) {
	var manager, sub string
	var valueFlags []string
	switch {
	case c.Is("apt-get", "apt", "aptitude"):
		manager, sub, valueFlags = "apt", "install", []string{"o", "t", "c", "target-release", "option"}
	case c.Is("apk"):
		manager, sub, valueFlags = "apk", "add", []string{"t", "virtual", "X", "repository", "p", "root"}
	case c.Is("dnf", "yum", "microdnf", "tdnf"):
		manager, sub, valueFlags = "rpm", "install", []string{"setopt", "enablerepo", "disablerepo", "releasever", "installroot", "repo"}
	case c.Is("zypper"):
		manager, sub, valueFlags = "rpm", "install", []string{"n", "r", "repo", "from"}
	default:
		return installed{}, false
	}
	words := operands(c, valueFlags...)
	i := 0
	for i < len(words) && words[i].Value != sub && !(manager == "rpm" && c.Is("zypper") && words[i].Value == "in") {
		i++
	}
	if i == len(words) {
		return installed{}, false
	}
	in := installed{cmd: c, manager: manager}
	assigns := map[string]string{}
	for _, a := range s.Assigns {
		assigns[a.Name] = a.Value.Value
	}
	for _, w := range words[i+1:] {
		v := w.Value
		if !w.Literal {
			v = expandVars(v, assigns, "")
			if strings.Contains(v, "$") {
				if e, ok := env.value(lint.Word{Value: v}); ok {
					v = e
				}
			}
		}
		if strings.ContainsAny(v, `"'`) {
			v = dropQuoteChars.Replace(v)
		}
		for _, name := range strings.Fields(v) {
			if n := strings.IndexAny(name, "=<>~"); n > 0 {
				name = name[:n]
			}
			in.packages = append(in.packages, pkgWord{name: name, word: w})
		}
	}
	return in, true
}

var dropQuoteChars = strings.NewReplacer(`"`, "", "'", "")

// toolchainPackage reports whether a package is a compiler, a build tool or
// development headers, which only a build needs.
func toolchainPackage(manager, name string) bool {
	switch name {
	case "build-essential", "gcc", "g++", "gcc-c++", "clang", "gfortran", "build-base", "golang", "golang-go", "go",
		"maven", "gradle", "rustc", "cargo", "rust", "default-jdk", "default-jdk-headless", "linux-headers",
		"cmake", "autoconf", "automake", "libtool", "pkg-config", "pkgconf", "ninja-build", "meson":
		return true
	}
	// Versioned compilers: gcc-12, g++-12, clang-17.
	for _, p := range []string{"gcc-", "g++-", "clang-"} {
		if rest, ok := strings.CutPrefix(name, p); ok && rest != "" && rest[0] >= '0' && rest[0] <= '9' {
			return true
		}
	}
	switch manager {
	case "apt", "apk":
		if strings.HasSuffix(name, "-dev") && len(name) > 4 || manager == "apt" && strings.Contains(name, "-dev-") {
			return true // libpq-dev; multiarch and cross headers: libc6-dev-i386
		}
		if strings.HasPrefix(name, "openjdk-") && (strings.HasSuffix(name, "-jdk") || strings.HasSuffix(name, "-jdk-headless")) {
			return true
		}
		if manager == "apk" && strings.HasPrefix(name, "openjdk") && !strings.Contains(name, "-") {
			return true // apk's openjdk17 is the JDK; openjdk17-jre is not
		}
	case "rpm":
		return strings.HasSuffix(name, "-devel")
	}
	return false
}

// packagesRemoved reports whether a command after index i removes
// packages with the same manager (apt-get purge, apk del, dnf remove).
func packagesRemoved(s *lint.Script, i int, manager string) bool {
	return laterCommand(s, i, func(c *lint.Command) bool {
		switch manager {
		case "apt":
			return c.Is("apt-get", "apt", "aptitude") && c.HasArg("purge", "remove", "autoremove")
		case "apk":
			return c.Is("apk") && c.HasArg("del")
		default:
			return c.Is("dnf", "yum", "microdnf", "zypper", "tdnf") && c.HasArg("remove", "erase", "autoremove", "rm")
		}
	})
}
