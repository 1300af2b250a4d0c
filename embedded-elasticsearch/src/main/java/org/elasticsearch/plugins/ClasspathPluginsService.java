package org.elasticsearch.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;

/**
 * A plugins service whose plugins are classes on the class path, constructed directly, instead of
 * bundles unpacked under {@code plugins/} and {@code modules/} and loaded in their own module
 * layers. It lives in Elasticsearch's package because {@link PluginsService.LoadedPlugin} and
 * {@link PluginsService#loadPlugin} are package-private; Elasticsearch's own (unpublished) test
 * framework loads its plugins the same way.
 */
public final class ClasspathPluginsService extends PluginsService {
    private final List<LoadedPlugin> plugins;
    private final PluginsAndModules info;

    public ClasspathPluginsService(Settings settings, Path configDir, Collection<Class<? extends Plugin>> pluginClasses) {
        super(settings, configDir, PluginsLoader.createPluginsLoader(Set.of(), Set.of(), Map.of(), false));
        List<LoadedPlugin> loaded = new ArrayList<>();
        List<PluginRuntimeInfo> infos = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            PluginDescriptor descriptor = new PluginDescriptor(pluginClass.getName(), "class path plugin", "NA",
                    Build.current().version(), Integer.toString(Runtime.version().feature()), pluginClass.getName(), null, List.of(),
                    false, false, false, false);
            loaded.add(new LoadedPlugin(descriptor, loadPlugin(pluginClass, settings, configDir), pluginClass.getClassLoader()));
            infos.add(new PluginRuntimeInfo(descriptor));
        }
        this.plugins = List.copyOf(loaded);
        this.info = new PluginsAndModules(infos, List.of());
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return plugins;
    }

    @Override
    public PluginsAndModules info() {
        return info;
    }
}
