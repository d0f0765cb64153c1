using MediaPlatform.Application.Processing;
using MediaPlatform.Domain.Transcriptions;

namespace MediaPlatform.Application.Tests.Processing;

public sealed class VocabularyCasingTests
{
    [Fact]
    public void Words_of_the_vocabulary_are_spelled_as_the_job_gave_them_and_others_are_left_alone()
    {
        Segment[] heard = [new(0, 2, "ask anand about kubernetes", 0.9,
            [new("ask", 0, 0.5, 0.9), new("anand", 0.5, 1, 0.9), new("about", 1, 1.5, 0.9), new("KUBERNETES", 1.5, 2, 0.9)])];

        var spelled = VocabularyCasing.Apply(heard, ["Anand", "Kubernetes", "Terraform Cloud"]);

        Assert.Equal("ask Anand about Kubernetes", spelled[0].Text);
        Assert.Equal(["ask", "Anand", "about", "Kubernetes"], spelled[0].Words.Select(w => w.Text));
        Assert.Same(heard, VocabularyCasing.Apply(heard, []));
    }
}
