using MediaPlatform.Application.Abstractions;
using MediaPlatform.Domain.Jobs;
using MediaPlatform.Infrastructure.Transcriptions;
using NWaves.FeatureExtractors;
using NWaves.FeatureExtractors.Options;

namespace MediaPlatform.Infrastructure.Diarization;

/// <summary>
/// Offline speaker diarization on the CPU (docs/adr/0020): MFCCs (NWaves; 20 coefficients, 25 ms frames every 10 ms)
/// over the speech: the recogniser's words and the frames loud above the noise floor between the first word and the
/// last; windows of <see cref="WindowSeconds"/> each described by the mean and spread
/// of their coefficients (c1-c19: the vocal tract's shape, not loudness), standardised across the recording; windows
/// clustered bottom-up (average linkage, Euclidean); the count is the one asked for, or, within the job's min and max,
/// the fewest clusters whose next merge the Bayesian information criterion calls two speakers (<see cref="BicLambda"/>); each frame
/// then takes the label most of its windows carry, and runs shorter than <see cref="MinTurnSeconds"/> join their
/// neighbours. Labels are S1, S2... in order of first speech.
/// </summary>
internal sealed class MfccDiarizer : IDiarizer
{
    public const double WindowSeconds = 1.5;
    public const double HopSeconds = 0.5;
    public const double MinTurnSeconds = 0.8;

    /// <summary>The weight of the BIC's model-size penalty (1 is the criterion's own; higher merges more).</summary>
    public const double BicLambda = 2.0;

    private const int Coefficients = 20;
    private const double FrameHop = 0.010;
    private const int MaxWindows = 1500;
    private const int MinSpeechFrames = 60;

    public async Task<IReadOnlyList<SpeakerTurn>> DiarizeAsync(
        string wavPath, IReadOnlyList<(double Start, double End)> speech, SpeakerLabels speakers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(speech);
        ArgumentNullException.ThrowIfNull(speakers);
        if (speech.Count == 0)
        {
            return [];
        }

        var samples = await ReadAsync(wavPath, cancellationToken);
        return await Task.Run(() => Diarize(samples, speech, speakers, cancellationToken), cancellationToken);
    }

    internal static IReadOnlyList<SpeakerTurn> Diarize(float[] samples, IReadOnlyList<(double Start, double End)> speech, SpeakerLabels speakers, CancellationToken cancellationToken)
    {
        var extractor = new MfccExtractor(new MfccOptions
        {
            SamplingRate = 16000,
            FeatureCount = Coefficients,
            FrameDuration = 0.025,
            HopDuration = FrameHop,
            FilterBankSize = 40,
        });
        var frames = extractor.ComputeFrom(samples);
        var frameCount = frames.Count;
        var inSpeech = new bool[frameCount];
        foreach (var (start, end) in speech)
        {
            for (var f = Math.Max(0, (int)(start / FrameHop)); f < Math.Min(frameCount, (int)Math.Ceiling(end / FrameHop)); f++)
            {
                inSpeech[f] = true;
            }
        }

        // The recogniser's words miss speech it could not read (an unfamiliar voice most of all): frames loud above
        // the recording's noise floor count as speech too, within the stretch the words span.
        var energy = Energies(samples, frameCount);
        var sorted = energy.Order().ToArray();
        var floor = Math.Max(sorted[sorted.Length / 10] + 12, sorted[(int)(sorted.Length * 0.95)] - 30);
        var firstWord = (int)(speech.Min(s => s.Start) / FrameHop);
        var lastWord = Math.Min(frameCount, (int)Math.Ceiling(speech.Max(s => s.End) / FrameHop));
        for (var f = Math.Max(0, firstWord); f < lastWord; f++)
        {
            inSpeech[f] |= energy[f] > floor;
        }

        // Windows over stretches of speech (pauses under a second bridged), hop widened for long recordings.
        var windowFrames = (int)(WindowSeconds / FrameHop);
        var speechFrames = inSpeech.Count(s => s);
        var hopFrames = Math.Max((int)(HopSeconds / FrameHop), speechFrames / MaxWindows);
        var windows = new List<(int From, int To)>();
        foreach (var (from, to) in Stretches(inSpeech, bridge: 100))
        {
            if (to - from < 30)
            {
                continue;
            }

            for (var w = from; w < to; w += hopFrames)
            {
                var end = Math.Min(to, w + windowFrames);
                windows.Add(end - w >= windowFrames / 2 || windows.Count == 0 || w == from ? (w, end) : (Math.Max(from, end - windowFrames), end));
                if (end == to)
                {
                    break;
                }
            }
        }

        // A window describes a voice only with enough speech in it (word times leave gaps): at least 0.6 s.
        windows = [.. windows.Where(w => Enumerable.Range(w.From, w.To - w.From).Count(f => inSpeech[f]) >= MinSpeechFrames)];
        if (windows.Count == 0)
        {
            return [];
        }

        var features = windows.Select(w => Describe(frames, inSpeech, w.From, w.To)).ToArray();
        Standardise(features);
        cancellationToken.ThrowIfCancellationRequested();
        var labels = Cluster(features, windows, frames, inSpeech, speakers.Fewest, Math.Max(speakers.Fewest, speakers.Most), cancellationToken);

        // Each speech frame takes the label most of its windows carry.
        var clusters = labels.Max() + 1;
        var votes = new int[frameCount, clusters];
        for (var i = 0; i < windows.Count; i++)
        {
            for (var f = windows[i].From; f < windows[i].To; f++)
            {
                votes[f, labels[i]]++;
            }
        }

        var frameLabel = new int[frameCount];
        var last = -1;
        for (var f = 0; f < frameCount; f++)
        {
            var best = -1;
            for (var c = 0; c < clusters; c++)
            {
                if (votes[f, c] > 0 && (best < 0 || votes[f, c] > votes[f, best]))
                {
                    best = c;
                }
            }

            frameLabel[f] = inSpeech[f] ? (best >= 0 ? best : last) : -1;
            if (frameLabel[f] >= 0)
            {
                last = frameLabel[f];
            }
        }

        return Turns(frameLabel);
    }

    /// <summary>Each frame's energy in dB (25 ms every 10 ms, as the MFCCs).</summary>
    private static double[] Energies(float[] samples, int frameCount)
    {
        var energy = new double[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var from = f * 160;
            var to = Math.Min(samples.Length, from + 400);
            double sum = 0;
            for (var i = from; i < to; i++)
            {
                sum += samples[i] * samples[i];
            }

            energy[f] = 10 * Math.Log10((sum / Math.Max(1, to - from)) + 1e-10);
        }

        return energy;
    }

    /// <summary>Mean and standard deviation of c1..c19 over the window's speech frames.</summary>
    private static double[] Describe(List<float[]> frames, bool[] inSpeech, int from, int to)
    {
        var dims = Coefficients - 1;
        var sum = new double[dims];
        var squares = new double[dims];
        var n = 0;
        for (var f = from; f < to; f++)
        {
            if (!inSpeech[f])
            {
                continue;
            }

            n++;
            for (var d = 0; d < dims; d++)
            {
                var v = frames[f][d + 1];
                sum[d] += v;
                squares[d] += v * v;
            }
        }

        n = Math.Max(n, 1);
        var described = new double[dims * 2];
        for (var d = 0; d < dims; d++)
        {
            var mean = sum[d] / n;
            described[d] = mean;
            described[dims + d] = Math.Sqrt(Math.Max(0, (squares[d] / n) - (mean * mean)));
        }

        return described;
    }

    private static void Standardise(double[][] features)
    {
        for (var d = 0; d < features[0].Length; d++)
        {
            var mean = features.Average(f => f[d]);
            var sd = Math.Sqrt(features.Average(f => (f[d] - mean) * (f[d] - mean)));
            foreach (var f in features)
            {
                f[d] = sd > 1e-9 ? (f[d] - mean) / sd : 0;
            }
        }
    }

    /// <summary>Average-linkage agglomerative clustering; cluster ids renumbered in order of first window.</summary>
    private static double Distance(double[] a, double[] b)
    {
        double s = 0;
        for (var d = 0; d < a.Length; d++)
        {
            var diff = a[d] - b[d];
            s += diff * diff;
        }

        return Math.Sqrt(s);
    }

    private static int[] Cluster(
        double[][] x, List<(int From, int To)> windows, List<float[]> frames, bool[] inSpeech, int fewest, int most, CancellationToken cancellationToken)
    {
        var n = x.Length;
        var members = Enumerable.Range(0, n).Select(i => new List<int> { i }).ToList();
        var alive = Enumerable.Repeat(true, n).ToArray();
        var distance = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                distance[i, j] = distance[j, i] = Distance(x[i], x[j]);
            }
        }

        // Merge down to one cluster, keeping the labelling at every count the job allows.
        var snapshots = new Dictionary<int, int[]>();
        int? stopAt = null;
        var count = n;
        if (count <= most)
        {
            snapshots[count] = Labels(members, alive, n);
        }

        while (count > 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (a, b, closest) = (-1, -1, double.MaxValue);
            for (var i = 0; i < n; i++)
            {
                if (!alive[i])
                {
                    continue;
                }

                for (var j = i + 1; j < n; j++)
                {
                    if (alive[j] && distance[i, j] < closest)
                    {
                        (a, b, closest) = (i, j, distance[i, j]);
                    }
                }
            }

            // Within the counts allowed, the fewest clusters whose next merge the Bayesian information criterion
            // calls two speakers (a merge of one speaker's clusters lowers it; of two speakers', raises it).
            if (count <= most && count > fewest && DeltaBic(frames, inSpeech, windows, members[a], members[b]) > 0)
            {
                stopAt = count;
            }

            // Average linkage (Lance-Williams): the merged cluster's distance is the size-weighted mean.
            var (na, nb) = (members[a].Count, members[b].Count);
            for (var k = 0; k < n; k++)
            {
                if (alive[k] && k != a && k != b)
                {
                    distance[a, k] = distance[k, a] = ((na * distance[a, k]) + (nb * distance[b, k])) / (na + nb);
                }
            }

            members[a].AddRange(members[b]);
            alive[b] = false;
            count--;
            if (count <= most && count >= fewest)
            {
                snapshots[count] = Labels(members, alive, n);
            }
        }

        var best = Math.Max(fewest, stopAt ?? fewest);
        return snapshots.TryGetValue(best, out var chosen) ? chosen : new int[n];
    }

    private static int[] Labels(List<List<int>> members, bool[] alive, int n)
    {
        var labels = new int[n];
        var next = 0;
        var ids = new Dictionary<int, int>();
        for (var i = 0; i < n; i++)
        {
            if (alive[i])
            {
                foreach (var m in members[i])
                {
                    labels[m] = i;
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (!ids.TryGetValue(labels[i], out var id))
            {
                ids[labels[i]] = id = next++;
            }

            labels[i] = id;
        }

        return labels;
    }

    /// <summary>
    /// BIC(two Gaussians) against BIC(one) for the speech frames of two clusters (full covariances of c1-c19):
    /// N/2 log|S| - Na/2 log|Sa| - Nb/2 log|Sb| - lambda P, with P = (d + d(d+1)/2)/2 log N. Above 0: two speakers.
    /// </summary>
    private static double DeltaBic(List<float[]> frames, bool[] inSpeech, List<(int From, int To)> windows, List<int> a, List<int> b)
    {
        var fa = FramesOf(windows, a, inSpeech);
        var fb = FramesOf(windows, b, inSpeech);
        fb.ExceptWith(fa);
        var both = new HashSet<int>(fa);
        both.UnionWith(fb);
        const int d = Coefficients - 1;
        if (fa.Count <= d * 2 || fb.Count <= d * 2)
        {
            return -1;
        }

        var penalty = BicLambda * 0.5 * (d + (d * (d + 1) / 2.0)) * Math.Log(both.Count);
        return (0.5 * both.Count * LogDeterminant(frames, both)) - (0.5 * fa.Count * LogDeterminant(frames, fa)) - (0.5 * fb.Count * LogDeterminant(frames, fb)) - penalty;
    }

    private static HashSet<int> FramesOf(List<(int From, int To)> windows, List<int> members, bool[] inSpeech)
    {
        var set = new HashSet<int>();
        foreach (var w in members)
        {
            for (var f = windows[w].From; f < windows[w].To; f++)
            {
                if (inSpeech[f])
                {
                    set.Add(f);
                }
            }
        }

        return set;
    }

    /// <summary>log det of the covariance of c1..c19 over the frames (Cholesky; a tiny ridge keeps it defined).</summary>
    private static double LogDeterminant(List<float[]> frames, HashSet<int> which)
    {
        const int d = Coefficients - 1;
        var mean = new double[d];
        foreach (var f in which)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += frames[f][i + 1];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= which.Count;
        }

        var cov = new double[d, d];
        foreach (var f in which)
        {
            for (var i = 0; i < d; i++)
            {
                var xi = frames[f][i + 1] - mean[i];
                for (var j = 0; j <= i; j++)
                {
                    cov[i, j] += xi * (frames[f][j + 1] - mean[j]);
                }
            }
        }

        double logDet = 0;
        var l = new double[d, d];
        for (var i = 0; i < d; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = (cov[i, j] / which.Count) + (i == j ? 1e-6 : 0);
                for (var k = 0; k < j; k++)
                {
                    sum -= l[i, k] * l[j, k];
                }

                if (i == j)
                {
                    l[i, i] = Math.Sqrt(Math.Max(sum, 1e-12));
                    logDet += 2 * Math.Log(l[i, i]);
                }
                else
                {
                    l[i, j] = sum / l[j, j];
                }
            }
        }

        return logDet;
    }

    /// <summary>Frame labels as turns, runs shorter than <see cref="MinTurnSeconds"/> given to the speaker before them.</summary>
    private static List<SpeakerTurn> Turns(int[] frameLabel)
    {
        var runs = new List<(int From, int To, int Label)>();
        for (var f = 0; f < frameLabel.Length; f++)
        {
            if (frameLabel[f] < 0)
            {
                continue;
            }

            if (runs.Count > 0 && runs[^1].Label == frameLabel[f] && f - runs[^1].To < 100)
            {
                runs[^1] = (runs[^1].From, f + 1, frameLabel[f]);
            }
            else
            {
                runs.Add((f, f + 1, frameLabel[f]));
            }
        }

        var minFrames = (int)(MinTurnSeconds / FrameHop);
        for (var i = 0; i < runs.Count; i++)
        {
            if (runs[i].To - runs[i].From < minFrames && runs.Count > 1)
            {
                var label = i > 0 ? runs[i - 1].Label : runs[i + 1].Label;
                runs[i] = (runs[i].From, runs[i].To, label);
            }
        }

        // Renumber in order of first appearance, merging neighbours that now share a label.
        var names = new Dictionary<int, string>();
        var turns = new List<SpeakerTurn>();
        foreach (var (from, to, label) in runs)
        {
            if (!names.TryGetValue(label, out var name))
            {
                names[label] = name = $"S{names.Count + 1}";
            }

            if (turns.Count > 0 && turns[^1].Speaker == name)
            {
                turns[^1] = turns[^1] with { End = to * FrameHop };
            }
            else
            {
                turns.Add(new SpeakerTurn(Math.Round(from * FrameHop, 2), Math.Round(to * FrameHop, 2), name));
            }
        }

        return turns;
    }

    /// <summary>Stretches of true, with gaps of up to <paramref name="bridge"/> frames closed.</summary>
    private static IEnumerable<(int From, int To)> Stretches(bool[] mask, int bridge)
    {
        var f = 0;
        while (f < mask.Length)
        {
            while (f < mask.Length && !mask[f])
            {
                f++;
            }

            if (f >= mask.Length)
            {
                yield break;
            }

            var from = f;
            var to = f;
            while (f < mask.Length)
            {
                if (mask[f])
                {
                    to = ++f;
                }
                else if (f - to < bridge)
                {
                    f++;
                }
                else
                {
                    break;
                }
            }

            yield return (from, to);
        }
    }

    private static async Task<float[]> ReadAsync(string wavPath, CancellationToken cancellationToken)
    {
        await using var wav = WavSamples.Open(wavPath);
        var bytes = new MemoryStream();
        await wav.CopyToAsync(bytes, cancellationToken);
        var raw = bytes.GetBuffer();
        var samples = new float[bytes.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(raw, i * 2) / 32768f;
        }

        return samples;
    }
}
