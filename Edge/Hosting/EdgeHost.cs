using Microsoft.AspNetCore.Connections;
using System.Net;
using ImActors.Grains.Interfaces;
using ImActors.Edge.Admin;
using ImActors.Edge.Admission;
using ImActors.Edge.Auth;
using ImActors.Edge.Calls;
using ImActors.Edge.Compression;
using ImActors.Edge.Connections;
using ImActors.Edge.Delivery;
using ImActors.Edge.Dispatch;
using ImActors.Edge.Health;
using ImActors.Edge.Presence;
using ImActors.Edge.Limits;
using ImActors.Edge.Metrics;
using ImActors.Edge.Mqtt;
using ImActors.Edge.Selection;
using ImActors.Edge.Sessions;
using ImActors.Edge.Tls;
using ImActors.Edge.Transports;
using ImActors.Edge.WebChat;
using ImActors.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace ImActors.Edge.Hosting;

/// <summary>Builds the edge process: Kestrel listeners, the protocol, and the Orleans client. Tests host it the same way.</summary>
public static class EdgeHost
{
    /// <param name="hostCluster">
    /// Hosts the cluster in this process instead of connecting to one as a client (the single-process node
    /// passes a silo here); null for a separate edge process.
    /// </param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplicationBuilder>? hostCluster = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;
        var edge = config.GetSection(EdgeSettings.Section).Get<EdgeSettings>() ?? new EdgeSettings();
        var admin = AdminApi.Settings(config);
        var tls = config.GetSection(TlsSettings.Section).Get<TlsSettings>() ?? new TlsSettings();
        var compression = config.GetSection(CompressionSettings.Section).Get<CompressionSettings>() ?? new CompressionSettings();
        var webChat = config.GetSection(WebChatSettings.Section).Get<WebChatSettings>() ?? new WebChatSettings();
        if (tls.Required && !tls.IsEnabled)
        {
            throw new InvalidOperationException("Tls:Required is set but no certificate is: set Tls:CertificatePath");
        }

        // Loaded before anything listens: a certificate that cannot be read stops the edge at once.
        var certificate = tls.IsEnabled ? new ServerCertificate(tls) : null;
        // Before anything listens: an edge must not accept a single hello on a secret anyone can read.
        SecretPolicy.Check(config.GetSection(AuthSettings.Section).Get<AuthSettings>() ?? new AuthSettings());
        if (hostCluster is not null)
        {
            hostCluster(builder);
        }
        else
        {
            ConnectToCluster(builder);
        }

        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = edge.InlineSocketScheduling);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // Client sessions count against EdgeCapacity (every transport). Kestrel's own connection limit is left
            // unset: it costs a held frame per connection (decision 127). The upgraded limit costs nothing per connection.
            kestrel.Limits.MaxConcurrentUpgradedConnections = edge.MaxConnections;
            var ip = IPAddress.Parse(edge.ListenIp);
            if (edge.TcpPort > 0 && !tls.Required)
            {
                kestrel.Listen(ip, edge.TcpPort, listen => listen
                    .UseReadiness()
                    .UseAddressLimits(listen.ApplicationServices.GetRequiredService<AddressLimiter>())
                    .UseConnectionHandler<TcpFrameHandler>());
            }

            if (edge.MqttPort > 0 && !tls.Required)
            {
                kestrel.Listen(ip, edge.MqttPort, listen => listen.UseConnectionHandler<MqttListener>());
            }

            kestrel.Listen(ip, edge.HttpPort, listen => listen.UseConnectionLimit(edge.MaxConnections));
            if (certificate is not null)
            {
                kestrel.ListenTls(ip, tls, certificate, edge.MaxConnections);
            }

            if (admin.IsListening)
            {
                kestrel.ListenAdmin(admin, edge.HttpPort);
            }
        });

        var services = builder.Services;
        services.Configure<EdgeSettings>(config.GetSection(EdgeSettings.Section));
        services.Configure<AuthSettings>(config.GetSection(AuthSettings.Section));
        services.Configure<AdmissionSettings>(config.GetSection(AdmissionSettings.Section));
        services.Configure<RateLimitSettings>(config.GetSection(RateLimitSettings.Section));
        services.Configure<CompressionSettings>(config.GetSection(CompressionSettings.Section));
        services.Configure<WebChatSettings>(config.GetSection(WebChatSettings.Section));
        services.AddSingleton<WireBodies>();
        // Tests put one over a fake clock here first, to pass deadlines and token expiries without waiting.
        services.TryAddSingleton(EdgeClock.Real);
        services.AddSingleton<AddressLimiter>();
        services.AddSingleton<EdgeCapacity>();
        services.AddSingleton(tls);
        if (certificate is not null)
        {
            services.AddSingleton(certificate);
            services.AddHostedService<CertificateReloader>();
        }

        services.AddSingleton<LimitRates>();
        services.AddSingleton<UserBudgets>();
        services.AddSingleton<FrameBudget>();
        services.AddSingleton<ReauthHandler>();
        services.AddSingleton<RefreshHandler>();
        services.AddSingleton<AccessTokens>();
        services.AddHostedService<DeadlineSweep>();
        services.AddSingleton(new EdgeIdentity(edge.ResolveEdgeId()));
        services.AddSingleton<TokenValidator>();
        services.AddSingleton<GrainRefs>();
        services.AddSingleton<GrainErrors>();
        services.AddSingleton<ClusterCalls>();
        services.AddSingleton<LocalConnections>();
        services.AddSingleton<LocalGroups>();
        services.AddSingleton<LocalWatches>();
        services.AddSingleton<PresenceRequests>();
        services.AddSingleton<BlockRequests>();
        services.AddSingleton<ConnectionLoop>();
        services.AddSingleton<FrameDispatcher>();
        services.AddSingleton<SessionHandler>();
        services.AddSingleton<SendHandler>();
        services.AddSingleton<SyncHandler>();
        services.AddSingleton<RequestHandler>();
        services.AddSingleton<GroupRequests>();
        services.AddSingleton<ConversationRequests>();
        services.AddSingleton<SignalHandler>();
        services.AddSingleton<WebSocketTransport>();
        services.AddSingleton<MqttCursors>();
        services.AddSingleton<EdgeDeliveryEndpoint>();
        services.AddSingleton<DeliveryStats>();
        services.AddSingleton<ClusterReconnected>();
        services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterReconnected>());
        services.AddHostedService<EdgeRegistrar>();
        services.AddHostedService<HeartbeatMonitor>();
        services.AddSingleton<EdgeDirectoryEndpoint>();
        services.AddHostedService<EdgeLoadReporter>();
        services.AddEdgeHealthChecks();
        services.AddSingleton<EdgeReadiness>();
        services.AddHostedService(sp => sp.GetRequiredService<EdgeReadiness>());
        services.AddEdgeMetrics(admin);
        if (admin.IsListening)
        {
            services.AddAdminListener(config);
        }

        if (admin.IsEnabled)
        {
            services.AddAdminApi();
        }

        var app = builder.Build();
        app.MapMetrics(admin);
        if (admin.IsListening)
        {
            app.UseMiddleware<AdminGate>();
        }

        if (admin.IsEnabled)
        {
            app.MapAdminApi();
        }

        if (admin.ServesDashboard)
        {
            app.MapOrleansDashboard(AdminGate.DashboardPath);
        }

        app.UseWebSockets();
        app.Map(ProtocolDefaults.WebSocketPath, async (HttpContext http, WebSocketTransport transport, AddressLimiter limiter, EdgeReadiness readiness, EdgeMetrics metrics) =>
        {
            if (!http.WebSockets.IsWebSocketRequest)
            {
                return Results.BadRequest("this endpoint speaks the ImActors protocol over WebSocket; send an upgrade request");
            }

            if (tls.Required && !http.Request.IsHttps)
            {
                return Results.Text($"this edge takes WebSocket connections over TLS only: wss://host:{tls.HttpPort}{ProtocolDefaults.WebSocketPath}",
                    statusCode: StatusCodes.Status403Forbidden);
            }

            if (edge.RefuseWhenNotReady && ReadinessGate.RefuseUpgrade(http, readiness, metrics) is { } notReady)
            {
                return notReady;
            }

            using var admission = limiter.TryAdmit(http.Connection.RemoteIpAddress);
            if (AdmissionMiddleware.RefuseUpgrade(http, admission) is { } refused)
            {
                return refused;
            }

            using var socket = await http.WebSockets.AcceptWebSocketAsync(compression.WebSocketAcceptContext());
            await transport.RunAsync(socket, http.RequestAborted);
            return Results.Empty;
        });
        app.MapEdgeHealth();
        if (webChat.Enabled)
        {
            app.MapWebChat();
        }

        if (webChat.DevTokens)
        {
            app.MapDevTokens();
        }

        app.MapGet(EdgeDirectoryEndpoint.Path, (EdgeDirectoryEndpoint edges, CancellationToken cancellationToken) => edges.GetAsync(cancellationToken));

        app.Lifetime.ApplicationStopping.Register(() =>
        {
            var connections = app.Services.GetRequiredService<LocalConnections>();
            foreach (var connection in connections.All)
            {
                connection.Close(ErrorCodes.ShuttingDown, "edge shutting down; reconnect");
            }
        });
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            app.Logger.LogInformation(
                "Edge {EdgeId} ready: tcp://{Ip}:{TcpPort} and ws://{Ip}:{HttpPort}{Path}",
                edge.ResolveEdgeId(), edge.ListenIp, edge.TcpPort, edge.ListenIp, edge.HttpPort, ProtocolDefaults.WebSocketPath);
            if (certificate is not null)
            {
                app.Logger.LogInformation(
                    "TLS: tls://{Ip}:{TlsTcpPort} and wss://{Ip}:{TlsHttpPort}{Path} with {Subject}, thumbprint {Thumbprint}{Required}",
                    edge.ListenIp, tls.TcpPort, edge.ListenIp, tls.HttpPort, ProtocolDefaults.WebSocketPath, certificate.Certificate.Subject,
                    certificate.Certificate.Thumbprint, tls.Required ? "; plain connections refused" : "");
            }
            // Said either way, so an operator looking for the API learns why it is not there.
            if (admin.IsEnabled)
            {
                app.Logger.LogInformation("Admin API on http://{Ip}:{Port}{Prefix}", admin.ListenIp, admin.Port, AdminGate.Prefix);
            }
            else
            {
                app.Logger.LogInformation("Admin API off: no Admin:ApiKeys configured");
            }

            if (webChat.DevTokens)
            {
                app.Logger.LogWarning(
                    "Development sign-in on: POST http://{Ip}:{HttpPort}{Path} gives loopback callers a token for any user (WebChat:DevTokens)",
                    edge.ListenIp, edge.HttpPort, DevTokenEndpoint.Path);
            }

            if (admin.Metrics)
            {
                app.Logger.LogInformation("Metrics on http://{Ip}:{Port}{Path}", admin.ListenIp, admin.Port, MetricsSetup.Path);
            }
        });
        return app;
    }

    /// <summary>
    /// The store's connection options. A password file (a node's embedded store keeps its password in its data
    /// directory, decision 108) keeps the password off the command line, where every local user can read it.
    /// </summary>
    private static StackExchange.Redis.ConfigurationOptions StoreOptions(string connectionString, string? passwordFile)
    {
        var options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        if (!string.IsNullOrEmpty(passwordFile))
        {
            options.Password = File.ReadAllText(passwordFile).Trim();
        }

        return options;
    }

    /// <summary>An Orleans client of the cluster named in "Store:Redis" and "Cluster:ClusterId".</summary>
    private static void ConnectToCluster(WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var redis = config["Store:Redis"] is { Length: > 0 } configured ? configured : "127.0.0.1:6380";
        var clusterId = config["Cluster:ClusterId"] is { Length: > 0 } id ? id : "dev";
        // Orleans' default is a minute: a silo added under load would get no edge traffic through its gateway until then.
        var gatewayRefresh = config.GetValue("Cluster:GatewayListRefreshPeriod", TimeSpan.FromSeconds(5));

        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ServiceId = "imactors";
                o.ClusterId = clusterId;
            });
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = gatewayRefresh);
            client.UseRedisClustering(o => o.ConfigurationOptions = StoreOptions(redis, config["Store:PasswordFile"]));
            client.UseConnectionRetryFilter<ClusterConnectRetry>();
            if (AdminApi.Settings(config).ServesDashboard)
            {
                // The page and its API run here; the silos collect the figures (decision 128).
                client.AddDashboard();
            }
        });
    }
}
