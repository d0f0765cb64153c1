using FluentValidation;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Media.UploadMedia;

internal sealed class UploadMediaValidator : AbstractValidator<UploadMediaCommand>
{
    public UploadMediaValidator()
    {
        RuleFor(c => c.Content).NotNull().WithMessage("file is required: send the media as the multipart field 'file'.");
        RuleFor(c => c.FileName).MaximumLength(MediaAsset.MaxFileNameLength * 4);
        RuleFor(c => c.ContentType).MaximumLength(MediaAsset.MaxContentTypeLength);
    }
}
