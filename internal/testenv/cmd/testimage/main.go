// Command testimage makes the base images that .ci/lib/daemons.sh loads into
// the test daemons, and converts `docker save` archives to OCI layouts.
//
//	testimage busybox [-busybox /bin/busybox] [-ref R] [-docker-archive F] [-oci DIR]
//	testimage rootfs  -tar ROOTFS.tar [-created-by TEXT] [-ref R] [-docker-archive F] [-oci DIR]
//	testimage oci     -docker-archive F [-ref R] -oci DIR [-gzip-level N]
//
// For every image written to an OCI layout it prints "REF DIGEST" on stdout,
// the manifest digest that BuildKit's oci-layout:// contexts need.
package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"os"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/strata-dev/strata/internal/testenv/testimage"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "testimage:", err)
		os.Exit(2)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: testimage busybox|rootfs|oci [flags]")
	}
	fs := flag.NewFlagSet("testimage "+args[0], flag.ContinueOnError)
	ref := fs.String("ref", "", "image reference to tag and annotate with")
	dockerArchive := fs.String("docker-archive", "", "docker load/save archive (written, or read by oci)")
	ociDir := fs.String("oci", "", "OCI image layout directory to add the image to")
	gzipLevel := fs.Int("gzip-level", gzip.DefaultCompression, "gzip level of the layers (oci only)")

	var img v1.Image
	var err error
	switch args[0] {
	case "busybox":
		busybox := fs.String("busybox", testimage.DebianBusyboxPath, "static busybox binary")
		if err := parse(fs, args[1:], ref, testimage.BusyboxRef); err != nil {
			return err
		}
		img, err = testimage.Busybox(*busybox)
	case "rootfs":
		rootfs := fs.String("tar", "", "tar archive of the root file system")
		createdBy := fs.String("created-by", "debootstrap --variant=minbase bookworm", "history entry")
		if err := parse(fs, args[1:], ref, testimage.DebianRef); err != nil {
			return err
		}
		if *rootfs == "" {
			return errors.New("rootfs: -tar is required")
		}
		img, err = testimage.RootFS(*rootfs, *createdBy)
	case "oci":
		if err := parse(fs, args[1:], ref, ""); err != nil {
			return err
		}
		if *dockerArchive == "" || *ociDir == "" || *ref == "" {
			return errors.New("oci: -docker-archive, -ref and -oci are required")
		}
		if img, err = testimage.FromDockerArchive(*dockerArchive, *ref); err == nil {
			img, err = testimage.ToOCI(img, *gzipLevel)
		}
		*dockerArchive = "" // read, not written
	default:
		return fmt.Errorf("unknown subcommand %q", args[0])
	}
	if err != nil {
		return err
	}

	if *dockerArchive != "" {
		if err := testimage.WriteDockerArchive(*dockerArchive, img, *ref); err != nil {
			return err
		}
	}
	if *ociDir != "" {
		digest, err := testimage.WriteLayout(*ociDir, img, *ref)
		if err != nil {
			return err
		}
		fmt.Println(*ref, digest)
	}
	return nil
}

func parse(fs *flag.FlagSet, args []string, ref *string, defaultRef string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *ref == "" {
		*ref = defaultRef
	}
	return nil
}
