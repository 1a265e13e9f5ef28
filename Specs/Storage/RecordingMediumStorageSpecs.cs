using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Webc.BootSafe.StateMachine.Ports;
using Webc.BootSafe.Medium.Storage;

namespace Webc.BootSafe.Specs.Storage;

public sealed class RecordingMediumStorageSpecs
{
    private const string Dir = "/m/live";

    public enum Op
    {
        WriteNew,
        Append,
        InPlace,
        Sync,
        Rename,
        SyncDir,
        Delete,
    }

    public sealed record Step(Op Op, int File, int Other, byte Fill, int Length);

    private static Arbitrary<Step[]> Steps() =>
        (from op in Gen.Elements(Enum.GetValues<Op>())
         from file in Gen.Choose(0, 2)
         from other in Gen.Choose(0, 2)
         from fill in Gen.Choose(1, 255)
         from length in Gen.Choose(0, 1300)
         select new Step(op, file, other, (byte)fill, length)).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property The_fake_sees_what_a_real_directory_sees() => Prop.ForAll(Steps(), steps =>
    {
        var root = Directory.CreateTempSubdirectory("bootsafe-storage-").FullName;
        try
        {
            var real = new PosixMediumStorage();
            var fake = new RecordingMediumStorage();
            real.CreateDirectory(root + Dir);
            fake.CreateDirectory(Dir);
            foreach (var step in steps)
            {
                var realError = Run(real, root + Dir, step);
                var fakeError = Run(fake, Dir, step);
                if (realError != fakeError)
                {
                    return false;
                }
            }

            return real.ListFiles(root + Dir).SequenceEqual(fake.ListFiles(Dir))
                   && real.ListFiles(root + Dir).All(f =>
                       real.ReadAllBytes($"{root}{Dir}/{f}").SequenceEqual(fake.ReadAllBytes($"{Dir}/{f}")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    });

    [Property(MaxTest = 300)]
    public Property An_atomic_replace_leaves_old_or_new_at_every_crash_point() => Prop.ForAll(
        Gen.Choose(0, 3000).ToArbitrary(),
        Gen.Choose(0, 3000).ToArbitrary(),
        (oldLength, newLength) =>
        {
            var storage = new RecordingMediumStorage();
            storage.CreateDirectory(Dir);
            var oldContent = Encoding.ASCII.GetBytes(new string('o', oldLength));
            var newContent = Encoding.ASCII.GetBytes(new string('n', newLength));
            storage.ReplaceAtomically(Dir + "/state", oldContent);

            var images = new List<RecordingMediumStorage>();
            storage.AfterWrite = _ => images.AddRange(storage.CrashImages());
            storage.ReplaceAtomically(Dir + "/state", newContent);

            return images.Count > 0 && images.All(image =>
            {
                var content = image.ReadAllBytes(Dir + "/state");
                return content.SequenceEqual(oldContent) || content.SequenceEqual(newContent);
            });
        });

    [Fact]
    public void A_file_whose_rename_was_not_made_durable_is_not_on_the_crashed_disk()
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Dir);
        storage.WriteNew(Dir + "/a.tmp", "new"u8);
        storage.Sync(Dir + "/a.tmp");
        storage.Rename(Dir + "/a.tmp", Dir + "/a");

        var crashed = storage.CrashImages().Single();

        Assert.False(crashed.FileExists(Dir + "/a"));
        Assert.False(crashed.FileExists(Dir + "/a.tmp"));
    }

    [Fact]
    public void An_unsynced_in_place_write_may_be_torn_at_any_sector()
    {
        var storage = new RecordingMediumStorage();
        storage.CreateDirectory(Dir);
        storage.WriteNew(Dir + "/ldlinux.sys", new byte[2048]);
        storage.Sync(Dir + "/ldlinux.sys");
        storage.SyncDirectory(Dir);
        storage.WriteInPlace(Dir + "/ldlinux.sys", 1024, Enumerable.Repeat((byte)7, 1024).ToArray());

        var images = storage.CrashImages().Select(i => i.ReadAllBytes(Dir + "/ldlinux.sys")).ToList();

        Assert.Equal(3, images.Count);
        Assert.All(images, i => Assert.Equal(2048, i.Length));
        Assert.Equal([0, 512, 1024], images.Select(i => i.Count(b => b == 7)));
    }

    private static string? Run(IMediumStorage storage, string dir, Step step)
    {
        var file = $"{dir}/f{step.File}";
        var other = $"{dir}/f{step.Other}";
        var bytes = Enumerable.Repeat(step.Fill, step.Length).ToArray();
        try
        {
            switch (step.Op)
            {
                case Op.WriteNew: storage.WriteNew(file, bytes); break;
                case Op.Append: storage.Append(file, bytes); break;
                case Op.InPlace: storage.WriteInPlace(file, step.Length / 3, bytes.AsSpan(0, step.Length / 2)); break;
                case Op.Sync: storage.Sync(file); break;
                case Op.Rename: storage.Rename(file, other); break;
                case Op.SyncDir: storage.SyncDirectory(dir); break;
                case Op.Delete: storage.Delete(file); break;
            }

            return null;
        }
        catch (IOException e)
        {
            return "failed: " + e.GetType().IsAssignableTo(typeof(IOException));
        }
    }
}
