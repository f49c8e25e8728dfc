// Worker lifecycle chatter drowns test output; warnings and errors still show. A module of its
// own because the Runtime can be installed once per process, whichever support file comes first.
import { DefaultLogger, Runtime } from '@temporalio/worker';

Runtime.install({ logger: new DefaultLogger('WARN') });
