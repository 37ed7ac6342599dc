package detect

import (
	"fmt"
	"os"
	"strings"

	"github.com/herald-gov/herald/internal/media"
	"github.com/herald-gov/herald/internal/policy"
)

type imageGPSDetector struct{}

func newImageGPS(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return imageGPSDetector{}, nil
}

// Detect reports each image with a GPS position, and each image that
// cannot be read or is not a JPEG or PNG: what it holds is unknown.
func (imageGPSDetector) Detect(in *Input) []Match {
	if in.Draft == nil {
		return nil
	}
	var out []Match
	for i, path := range in.Draft.Images {
		info, err := inspectImage(path)
		switch {
		case err != nil:
			out = append(out, Match{Image: &i, Detail: err.Error()})
		case info.GPS != nil:
			out = append(out, Match{Image: &i, Detail: fmt.Sprintf("%.5f, %.5f", info.GPS.Lat, info.GPS.Lon)})
		}
	}
	return out
}

type imageMetadataDetector struct{}

func newImageMetadata(*params, *policy.Organization, *policy.Parameters) (Detector, error) {
	return imageMetadataDetector{}, nil
}

// Detect reports each readable image that carries metadata; unreadable
// images are image-gps's to report.
func (imageMetadataDetector) Detect(in *Input) []Match {
	if in.Draft == nil {
		return nil
	}
	var out []Match
	for i, path := range in.Draft.Images {
		info, err := inspectImage(path)
		if err != nil {
			continue
		}
		var kinds []string
		for _, k := range []struct {
			on   bool
			name string
		}{{info.EXIF, "EXIF"}, {info.XMP, "XMP"}, {info.IPTC, "IPTC"}} {
			if k.on {
				kinds = append(kinds, k.name)
			}
		}
		kinds = append(kinds, info.Other...)
		if len(kinds) == 0 && info.Camera == "" {
			continue
		}
		detail := strings.Join(kinds, ", ")
		if info.Camera != "" {
			detail = strings.TrimPrefix(detail+"; camera "+info.Camera, "; ")
		}
		out = append(out, Match{Image: &i, Detail: detail})
	}
	return out
}

// inspectImage reads an image file, refusing one over media.MaxImageBytes
// before reading it.
func inspectImage(path string) (media.Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return media.Info{}, err
	}
	if !st.Mode().IsRegular() {
		return media.Info{}, fmt.Errorf("%s: not a regular file", path)
	}
	if st.Size() > media.MaxImageBytes {
		return media.Info{}, fmt.Errorf("%s: %w", path, media.ErrTooLarge)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return media.Info{}, err
	}
	info, err := media.Inspect(data)
	if err != nil {
		return media.Info{}, fmt.Errorf("%s: %w", path, err)
	}
	return info, nil
}
