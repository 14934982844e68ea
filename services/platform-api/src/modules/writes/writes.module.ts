import { Global, Module } from '@nestjs/common';
import { WriteRecorder } from './write-recorder';

/** Every write records its change and its audit entry through WriteRecorder. */
@Global()
@Module({
  providers: [WriteRecorder],
  exports: [WriteRecorder],
})
export class WritesModule {}
