using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace MediaPlatform.Infrastructure.Storage;

/// <summary>An S3 client for <see cref="S3StorageOptions"/>: AWS by region, or any compatible endpoint by URL.</summary>
internal static class S3Clients
{
    public static AmazonS3Client Create(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Checksums only where the API requires them: self-hosted stores do not all understand the streamed
            // (aws-chunked) checksums the SDK would otherwise add; the platform hashes every upload itself.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        AWSCredentials credentials = string.IsNullOrEmpty(options.AccessKey)
            ? new AnonymousAWSCredentials()
            : new BasicAWSCredentials(options.AccessKey, options.SecretKey);
        return new AmazonS3Client(credentials, config);
    }
}
