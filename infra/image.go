package infra

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/example/wordpress-aks/config"
	"github.com/pulumi/pulumi-azure-native-sdk/containerregistry/v2"
	"github.com/pulumi/pulumi-azure-native-sdk/storage/v2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Image is the WordPress image the Deployments run.
type Image struct {
	// Ref is the full, pinned reference: <registry>/wordpress:<content hash>, or the configured
	// wordpress.image in our registry.
	Ref pulumi.StringOutput
	// Build is the ACR run that pushes it; workloads wait for it. Nil when the image is pinned
	// in config.
	Build pulumi.Resource
}

const (
	// ImageContextDir is the Docker build context, relative to the project root.
	ImageContextDir  = "images/wordpress"
	imageRepository  = "wordpress"
	contextContainer = "image-context"
	// imageContextSASExpiry is fixed so the signed URL, and with it the build, only changes when
	// the context does. It grants read access to one blob that holds nothing but the public build
	// context, and it is a Pulumi secret.
	imageContextSASExpiry = "2099-12-31T00:00:00Z"
	// imageBuildTimeoutSeconds bounds one ACR build.
	imageBuildTimeoutSeconds = 1800
	// contextHashLength is the length of the content hash used as image tag.
	contextHashLength = 16
)

// NewImage gets our image into the registry without a Docker engine anywhere: the program packs
// images/wordpress into a reproducible tarball, uploads it as a blob, and has ACR build it (what
// `az acr build` does). The tag is the context's content hash, so any change under images/ is
// a new tag, a new build and a rolling update of the Deployments; an unchanged context rebuilds
// nothing.
func NewImage(ctx *pulumi.Context, cfg config.Config, rg *ResourceGroup, reg *Registry, suffix pulumi.StringOutput) (*Image, error) {
	if cfg.WordPress.Image != "" {
		return &Image{Ref: pulumi.Sprintf("%s/%s", reg.LoginServer, cfg.WordPress.Image)}, nil
	}
	root, err := ProjectRoot()
	if err != nil {
		return nil, fmt.Errorf("find image context: %w", err)
	}
	archive, hash, err := packContext(filepath.Join(root, ImageContextDir))
	if err != nil {
		return nil, fmt.Errorf("pack image context: %w", err)
	}
	tag := hash[:contextHashLength]
	archivePath := filepath.Join(os.TempDir(), fmt.Sprintf("wordpress-image-%s.tar.gz", hash))
	if err := os.WriteFile(archivePath, archive, 0o644); err != nil {
		return nil, fmt.Errorf("write image context: %w", err)
	}

	account, err := storage.NewStorageAccount(ctx, "image-context-storage", &storage.StorageAccountArgs{
		AccountName:            suffix.ApplyT(cfg.Names().ImageStorage).(pulumi.StringOutput),
		ResourceGroupName:      rg.Name,
		Location:               pulumi.String(cfg.Location),
		Tags:                   tags(cfg),
		Kind:                   pulumi.String("StorageV2"),
		Sku:                    &storage.SkuArgs{Name: pulumi.String("Standard_LRS")},
		AllowBlobPublicAccess:  pulumi.Bool(false),
		EnableHttpsTrafficOnly: pulumi.Bool(true),
		MinimumTlsVersion:      pulumi.String("TLS1_2"),
		// The signed URL ACR reads the context through is signed with the account key.
		AllowSharedKeyAccess: pulumi.Bool(true),
	})
	if err != nil {
		return nil, fmt.Errorf("create image context storage: %w", err)
	}
	container, err := storage.NewBlobContainer(ctx, "image-context-container", &storage.BlobContainerArgs{
		ContainerName:     pulumi.String(contextContainer),
		AccountName:       account.Name,
		ResourceGroupName: rg.Name,
		PublicAccess:      storage.PublicAccessNone,
	})
	if err != nil {
		return nil, fmt.Errorf("create image context container: %w", err)
	}
	blobName := fmt.Sprintf("wordpress-%s.tar.gz", tag)
	blob, err := storage.NewBlob(ctx, "image-context-blob", &storage.BlobArgs{
		BlobName:          pulumi.String(blobName),
		ContainerName:     container.Name,
		AccountName:       account.Name,
		ResourceGroupName: rg.Name,
		Type:              storage.BlobTypeBlock,
		ContentType:       pulumi.String("application/gzip"),
		Source:            pulumi.NewFileAsset(archivePath),
	})
	if err != nil {
		return nil, fmt.Errorf("upload image context: %w", err)
	}
	sas := storage.ListStorageAccountServiceSASOutput(ctx, storage.ListStorageAccountServiceSASOutputArgs{
		ResourceGroupName:      rg.Name,
		AccountName:            account.Name,
		CanonicalizedResource:  pulumi.Sprintf("/blob/%s/%s/%s", account.Name, contextContainer, blobName),
		Resource:               pulumi.String("b"),
		Permissions:            pulumi.String("r"),
		Protocols:              storage.HttpProtocolHttps,
		SharedAccessExpiryTime: pulumi.String(imageContextSASExpiry),
	})
	sourceURL := pulumi.ToSecret(pulumi.Sprintf("https://%s.blob.core.windows.net/%s/%s?%s",
		account.Name, contextContainer, blobName, sas.ServiceSasToken())).(pulumi.StringOutput)

	run, err := containerregistry.NewTaskRun(ctx, "image-build", &containerregistry.TaskRunArgs{
		TaskRunName:       pulumi.String("build-wordpress"),
		RegistryName:      reg.Name,
		ResourceGroupName: rg.Name,
		Location:          pulumi.String(cfg.Location),
		// A new hash re-runs the build even where nothing else in the request changed.
		ForceUpdateTag: pulumi.String(tag),
		RunRequest: &containerregistry.DockerBuildRequestArgs{
			Type:           pulumi.String("DockerBuildRequest"),
			DockerFilePath: pulumi.String("Dockerfile"),
			ImageNames:     pulumi.StringArray{pulumi.String(imageRepository + ":" + tag)},
			IsPushEnabled:  pulumi.Bool(true),
			NoCache:        pulumi.Bool(false),
			Platform: &containerregistry.PlatformPropertiesArgs{
				Os:           pulumi.String("Linux"),
				Architecture: pulumi.String("amd64"),
			},
			SourceLocation: sourceURL,
			Timeout:        pulumi.Int(imageBuildTimeoutSeconds),
		},
	}, pulumi.DependsOn([]pulumi.Resource{blob}), pulumi.AdditionalSecretOutputs([]string{"runRequest"}))
	if err != nil {
		return nil, fmt.Errorf("build image in acr: %w", err)
	}
	return &Image{
		Ref:   pulumi.Sprintf("%s/%s:%s", reg.LoginServer, imageRepository, tag),
		Build: run,
	}, nil
}

// ProjectRoot is the directory holding Pulumi.yaml: the program's working directory under
// `pulumi up`, a parent of it in tests and tools.
func ProjectRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no Pulumi.yaml in the working directory or above")
		}
		dir = parent
	}
}

// packContext returns a gzipped tarball of dir and the SHA-256 of its uncompressed tar stream.
// Entries are sorted and carry no times or owners, so the same files give the same hash on any
// machine, and only content and file modes count.
func packContext(dir string) ([]byte, string, error) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, "", err
	}
	if len(paths) == 0 {
		return nil, "", fmt.Errorf("%s is empty", dir)
	}
	sort.Strings(paths)
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	for _, p := range paths {
		info, err := os.Lstat(p)
		if err != nil {
			return nil, "", err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil, "", err
		}
		hdr := &tar.Header{Name: filepath.ToSlash(rel), Mode: int64(info.Mode().Perm()), Format: tar.FormatPAX}
		switch {
		case info.IsDir():
			hdr.Typeflag, hdr.Name = tar.TypeDir, hdr.Name+"/"
		case info.Mode().IsRegular():
			hdr.Typeflag, hdr.Size = tar.TypeReg, info.Size()
		default:
			return nil, "", fmt.Errorf("%s: only files and directories may be in the build context", rel)
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, "", err
		}
		if hdr.Typeflag == tar.TypeReg {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, "", err
			}
			if _, err := tw.Write(b); err != nil {
				return nil, "", err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(raw.Bytes())
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return nil, "", err
	}
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return gz.Bytes(), hex.EncodeToString(sum[:]), nil
}
