using FluentValidation;
using MediaPlatform.Domain.Media;

namespace MediaPlatform.Application.Media.RegisterMediaUrl;

internal sealed class RegisterMediaUrlValidator : AbstractValidator<RegisterMediaUrlCommand>
{
    public RegisterMediaUrlValidator() =>
        RuleFor(c => c.Url)
            .NotEmpty().WithMessage("url is required.")
            .MaximumLength(MediaAsset.MaxUrlLength)
            .Must(BeHttpUrl).WithMessage("url must be an absolute http or https URL, such as https://example.org/talk.mp3.");

    private static bool BeHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host)
        && string.IsNullOrEmpty(uri.UserInfo);
}
