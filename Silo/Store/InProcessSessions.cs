using System.Buffers;
using System.Collections.Concurrent;
using Garnet.common;
using Garnet.networking;
using Garnet.server;
using ImActors.Grains.Interfaces.Messages;
using StackExchange.Redis;

namespace ImActors.Silo.Store;

/// <summary>
/// Sessions of the embedded store that run a command in the calling thread: the request is parsed and executed
/// inside <see cref="Session.Execute"/>, and the reply read from memory. A session serves one caller at a time,
/// so they are pooled: as many exist as threads have ever run a command at once.
/// </summary>
/// <remarks>
/// The store logs a script's writes one by one, so a commit must not start while a script runs (decision 79).
/// Commands run under a shared hold of <see cref="_commitFence"/>, a commit starts under an exclusive one: it waits
/// for the scripts running, and the scripts that arrive meanwhile wait the few microseconds of its start.
/// </remarks>
public sealed class InProcessSessions(StoreWrapper store, string password) : IDisposable
{
    // Garnet's own factory of RESP sessions (the network listener's is not reachable); it holds no state of its own.
    private readonly GarnetProvider _sessions = new(store);
    private readonly ConcurrentBag<Session> _idle = [];
    private readonly ReaderWriterLockSlim _commitFence = new(LockRecursionPolicy.NoRecursion);
    private readonly string _password = password;

    public Session Rent() => _idle.TryTake(out var session) ? session : new Session(this);

    /// <summary>Runs <paramref name="start"/> (which must fix what a commit covers before it returns) between commands.</summary>
    public T BetweenCommands<T>(Func<T> start)
    {
        _commitFence.EnterWriteLock();
        try
        {
            return start();
        }
        finally
        {
            _commitFence.ExitWriteLock();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session))
        {
            session.Dispose();
        }
    }

    /// <summary>One store session and its buffers. Write one command to <see cref="Request"/>, then <see cref="Execute"/>.</summary>
    public sealed unsafe class Session : IDisposable
    {
        private readonly InProcessSessions _pool;
        private readonly ReplyBuffer _replies = new();
        private readonly ArrayBufferWriter<byte> _request = new(1024);
        private readonly IMessageConsumer _session;

        internal Session(InProcessSessions pool)
        {
            _pool = pool;
            _session = pool._sessions.GetSession(WireFormat.ASCII, _replies);
            Authenticate(pool._password);
        }

        public IBufferWriter<byte> Request => _request;

        /// <summary>
        /// Runs the command written to <see cref="Request"/> and reads its reply. The session goes back to the pool, unless
        /// the store failed inside it: Garnet gives up on a session after such a failure, so this one is dropped.
        /// </summary>
        public RedisResult Execute()
        {
            var usable = true;
            try
            {
                int consumed;
                _pool._commitFence.EnterReadLock();
                try
                {
                    fixed (byte* request = _request.WrittenSpan)
                    {
                        consumed = _session.TryConsumeMessages(request, _request.WrittenCount);
                    }
                }
                finally
                {
                    _pool._commitFence.ExitReadLock();
                }

                // The store answers nothing for a command it could not run to the end (it logs the exception).
                if (consumed != _request.WrittenCount || _replies.Reply.IsEmpty)
                {
                    usable = false;
                    throw new StoreUnavailableException("message store unavailable: the embedded store did not answer the command");
                }

                return Resp.ReadReply(_replies.Reply);
            }
            finally
            {
                _request.ResetWrittenCount();
                _replies.Clear();
                if (usable)
                {
                    _pool._idle.Add(this);
                }
                else
                {
                    Dispose();
                }
            }
        }

        public void Dispose() => _session.Dispose();

        /// <summary>An in-process session is held to the store's password like a socket's (decision 108): it says AUTH first.</summary>
        private void Authenticate(string password)
        {
            Resp.WriteArrayHeader(_request, 2);
            Resp.WriteBulk(_request, "AUTH"u8);
            Resp.WriteBulk(_request, (RedisValue)password);
            fixed (byte* request = _request.WrittenSpan)
            {
                _session.TryConsumeMessages(request, _request.WrittenCount);
            }

            try
            {
                // Throws the store's error for a wrong password.
                Resp.ReadReply(_replies.Reply);
            }
            finally
            {
                _request.ResetWrittenCount();
                _replies.Clear();
            }
        }
    }
}
